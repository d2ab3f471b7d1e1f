using Preset.Moodboard.Components;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Admin;
using Preset.Moodboard.Features.Assistant;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Features.Review;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.Jobs;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Infrastructure.ScaleOut;
using Preset.Moodboard.Infrastructure.Storage;

var builder = WebApplication.CreateBuilder(args);

var appOptions = builder.AddAppHosting();
var database = builder.AddData(appOptions);
builder.AddScaleOut(appOptions, database);
builder.AddShell();
builder.AddAccounts();
builder.AddBoards();
builder.AddAdmin();
builder.AddNanoBanana(appOptions);
builder.AddJobs(appOptions, database);
builder.AddMedia(appOptions);
builder.AddCredits();
builder.AddGeneration();
builder.AddReview();
builder.AddAssistant();

var app = builder.Build();

app.UseShell();
app.MapHealth();
app.MapAccounts();
app.MapBoards();
app.MapMediaFiles();
app.MapGeneration();
app.MapReview();
app.MapCredits();
app.MapAdmin();
app.MapAssistant();
app.MapJobs();
app.MapEmbeddedNanoBanana();
app.MapShell();

await app.InitializeImageStoreAsync();
await app.InitializeDatabaseAsync();
await app.InitializeEmbeddedNanoBananaAsync();
await app.RunAsync();

public partial class Program;
