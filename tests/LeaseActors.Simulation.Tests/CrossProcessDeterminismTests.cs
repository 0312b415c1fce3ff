using System.Diagnostics;
using System.Globalization;
using LeaseActors.Simulation.Probe;

namespace LeaseActors.Simulation.Tests;

/// <summary>
/// AKKA-SIMULATION-NOTES "Hash order leaks in": string hashing is randomized per process, and a parent stopping
/// idle, unwatched children enqueues their Terminate messages in hash order. Only separate processes can show
/// whether that order reaches a run, so these tests launch the probe (tests/LeaseActors.Simulation.Probe, built
/// next to this assembly through a project reference) three times and compare what each prints.
/// </summary>
/// <remarks>
/// Checked against a deliberately broken engine that ordered the ready set by arrival instead of by creation
/// order: four probe processes then printed four different hash lists.
/// </remarks>
public sealed class CrossProcessDeterminismTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    private static readonly ulong[] Seeds = [.. Enumerable.Range(0, 30).Select(i => (ulong)i)];

    [Fact]
    public async Task Three_processes_print_identical_trace_hashes_for_the_same_seeds()
    {
        var outputs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RunProbeAsync(Seeds)));

        var first = Parse(outputs[0]);
        Assert.Equal(Seeds, first.Keys);
        Assert.Equal(outputs[0], outputs[1]);
        Assert.Equal(outputs[0], outputs[2]);
    }

    [Fact]
    public async Task The_probe_prints_the_hashes_this_process_computes()
    {
        var output = Parse(await RunProbeAsync(Seeds));

        foreach (var seed in Seeds)
            Assert.Equal(ProbeScenario.Run(fixture.Driver, seed).TraceSha256, output[seed]);
    }

    [Fact]
    public void The_probe_scenario_stops_every_child_of_the_nursery_in_the_run()
    {
        var result = ProbeScenario.Run(fixture.Driver, 7);

        var stopped = result.Trace.Entries.Select(e => (LeaseActors.Simulation.Tracing.TraceEvent)e.Event)
            .Where(e => e.Kind == "stopped").Select(e => (string)e["actor"]!).ToList();
        Assert.Equal(ProbeScenario.Children + 1, stopped.Count);
        Assert.Equal("nursery", stopped[^1]);
        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Empty(result.Leaks);
    }

    private static SortedDictionary<ulong, string> Parse(string output)
    {
        var hashes = new SortedDictionary<ulong, string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            Assert.Equal(2, parts.Length);
            Assert.Equal(64, parts[1].Length);
            hashes.Add(ulong.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
        }
        return hashes;
    }

    private static async Task<string> RunProbeAsync(IEnumerable<ulong> seeds)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "LeaseActors.Simulation.Probe.dll");
        Assert.True(File.Exists(probe), $"The probe was not built next to the tests: {probe} is missing.");

        // The SDK tells child processes which dotnet host launched them; fall back to the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(probe);
        foreach (var seed in seeds) start.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dotnet} {probe}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The probe did not finish within 60 s.");
        }
        Assert.True(process.ExitCode == 0, $"The probe exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
