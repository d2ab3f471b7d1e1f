using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Preset.Moodboard.Tests.TestUtilities.ScaleOut;

/// <summary>
/// The app as its own operating-system process (<c>dotnet Preset.Moodboard.dll</c> from the app's build output, content root
/// there), configured by environment variables — so <see cref="Kill"/> is a real kill -9 of a real instance.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> environment;
    private readonly ConcurrentQueue<string> output = new();
    private Process? process;

    public AppProcess(string name, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        Name = name;
        Port = port ?? FreePort();
        DataDirectory = Path.Combine(Path.GetTempPath(), "preset-moodboard-tests", $"{name}-{Guid.NewGuid():N}");
        environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["App__DataDirectory"] = DataDirectory,
            ["Logging__Json"] = "false",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Preset"] = "Information",
            // One line per request, to tell which instance a request reached.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
    }

    public string Name { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public bool IsRunning => process is { HasExited: false };

    /// <summary>CPU time the process has used so far (zero when it is not running).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                process?.Refresh();
                return process is { HasExited: false } ? process.TotalProcessorTime : TimeSpan.Zero;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>What the process wrote to its console so far.</summary>
    public IReadOnlyList<string> Output => [.. output];

    public static string AppDirectory { get; } = Path.Combine(ScaleOutServices.RepositoryRoot, "Preset.Moodboard", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, new DirectoryInfo(AppContext.BaseDirectory).Name);

    /// <summary>Starts the process and waits until it answers <c>/health/ready</c>; throws with its output when it does not.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var dll = Path.Combine(AppDirectory, "Preset.Moodboard.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        }

        var start = new ProcessStartInfo("dotnet", [dll, "--urls", BaseAddress.ToString().TrimEnd('/')])
        {
            WorkingDirectory = AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        output.Clear();
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting:\n{Tail()}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, "health/ready"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Name} did not become ready on {BaseAddress}:\n{Tail()}");
    }

    /// <summary>kill -9: no shutdown, no flushing, leases and connections left as they were.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>The console lines of requests to <paramref name="pathFragment"/> this instance received.</summary>
    public int RequestsTo(string method, string pathFragment) =>
        output.Count(line => line.Contains($"Request starting HTTP/1.1 {method} ", StringComparison.Ordinal) && line.Contains(pathFragment, StringComparison.Ordinal));

    public string Tail(int lines = 60) => string.Join('\n', output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        Kill();
        process?.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 20_000 && output.TryDequeue(out _))
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
