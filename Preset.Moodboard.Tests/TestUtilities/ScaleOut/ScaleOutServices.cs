using System.Diagnostics;
using Npgsql;

namespace Preset.Moodboard.Tests.TestUtilities.ScaleOut;

/// <summary>
/// PostgreSQL, Redis and Azurite on loopback, shared by every scale-out test. <c>./test.sh</c> starts them
/// (<c>.ci/scale-out-services</c>) and passes their addresses in <c>MOODBOARD_SCALEOUT_*</c>; a run without them (a filtered
/// <c>dotnet test</c>) starts them here through the same script and stops them when the test process ends.
/// </summary>
public sealed class ScaleOutServices
{
    private static readonly Lazy<Task<ScaleOutServices>> Shared = new(StartAsync);

    private ScaleOutServices(string postgres, string redis, string blobs)
    {
        Postgres = postgres;
        Redis = redis;
        Blobs = blobs;
    }

    /// <summary>An administrator's connection string to the server's <c>postgres</c> database.</summary>
    public string Postgres { get; }

    public string Redis { get; }

    public string Blobs { get; }

    public static Task<ScaleOutServices> GetAsync() => Shared.Value;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A new, empty database on the shared server; its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"moodboard_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ToString();
    }

    public static string NewContainerName() => $"test-{Guid.NewGuid():N}";

    private static async Task<ScaleOutServices> StartAsync()
    {
        if (FromEnvironment() is { } given)
        {
            return given;
        }

        var folder = Path.Combine(Path.GetTempPath(), $"moodboard-scaleout-{Guid.NewGuid():N}");
        var script = Path.Combine(RepositoryRoot, ".ci", "scale-out-services");
        await RunAsync(script, $"start {folder}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAsync(script, $"stop {folder}").GetAwaiter().GetResult();
        var settings = File.ReadAllLines(Path.Combine(folder, "env"))
            .Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('\''));
        return new ScaleOutServices(settings["MOODBOARD_SCALEOUT_POSTGRES"], settings["MOODBOARD_SCALEOUT_REDIS"], settings["MOODBOARD_SCALEOUT_BLOB"]);
    }

    private static ScaleOutServices? FromEnvironment()
    {
        var postgres = Environment.GetEnvironmentVariable("MOODBOARD_SCALEOUT_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("MOODBOARD_SCALEOUT_REDIS");
        var blobs = Environment.GetEnvironmentVariable("MOODBOARD_SCALEOUT_BLOB");
        return string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(redis) || string.IsNullOrEmpty(blobs) ? null : new ScaleOutServices(postgres, redis, blobs);
    }

    private static async Task RunAsync(string script, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", $"{script} {arguments}") { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {arguments} failed ({process.ExitCode}): {await errors}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Preset.Moodboard.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Preset.Moodboard.sln above {AppContext.BaseDirectory}.");
    }
}
