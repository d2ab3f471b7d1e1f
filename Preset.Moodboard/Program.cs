using Preset.Moodboard.Components;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Admin;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Infrastructure.Hosting;

var builder = WebApplication.CreateBuilder(args);

var appOptions = builder.AddAppHosting();
builder.AddData(appOptions);
builder.AddShell();
builder.AddAccounts();
builder.AddBoards();
builder.AddAdmin();

var app = builder.Build();

app.UseShell();
app.MapHealth();
app.MapAccounts();
app.MapBoards();
app.MapShell();

await app.InitializeDatabaseAsync();
await app.RunAsync();

public partial class Program;
