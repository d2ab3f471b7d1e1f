namespace Preset.Moodboard.Infrastructure.Hosting;

/// <summary>This running process: a new id on every start, so work it claimed is recognisably its own (and a crash leaves claims nobody renews).</summary>
public sealed class ProcessInstance
{
    public string Id { get; } = Shorten($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");

    private static string Shorten(string id) => id.Length <= 100 ? id : id[^100..];
}
