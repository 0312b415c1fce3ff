using System.Text.Json;
using System.Text.RegularExpressions;

namespace LeaseActors.Cli.Tests;

/// <summary><c>chaos … --cluster</c> with a <c>worker</c>, both run in-process as the command line would run them.</summary>
public sealed partial class ChaosClusterTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Topology(string name) => Path.Combine(CliRunner.RepoRoot, "configs", "topologies", name + ".conf");

    private static string Plan(string name) => Path.Combine(CliRunner.RepoRoot, "configs", "chaos", name + ".conf");

    /// <summary>Standard error of the coordinator, which tells the test where workers join as soon as it says so.</summary>
    private sealed partial class CoordinatorErrors : StringWriter
    {
        private readonly TaskCompletionSource<string> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Endpoint => _endpoint.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && Coordinating().Match(value) is { Success: true } match) _endpoint.TrySetResult(match.Groups[1].Value);
        }

        [GeneratedRegex(@"coordinating at (\S+);")]
        private static partial Regex Coordinating();
    }

    private static (int Exit, string Out, string Err) Run(TextWriter stderr, params string[] args)
    {
        var stdout = new StringWriter();
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString()!);
    }

    /// <summary>The lines of a results file keyed by run, without the one wall-clock field.</summary>
    private static SortedDictionary<long, string> Runs(string path)
    {
        var runs = new SortedDictionary<long, string>();
        foreach (var line in File.ReadLines(path))
        {
            using var json = JsonDocument.Parse(line);
            runs.Add(json.RootElement.GetProperty("run").GetInt64(),
                string.Join(",", json.RootElement.EnumerateObject().Where(p => p.Name != "wallMs").Select(p => p.Name + "=" + p.Value.GetRawText())));
        }
        return runs;
    }

    /// <summary>The summary JSON without its wall time and the paths that name the results file.</summary>
    private static string Summary(string json, string resultsFile)
    {
        using var document = JsonDocument.Parse(json);
        var fields = document.RootElement.EnumerateObject().Where(p => p.Name != "wallSeconds").Select(p => p.Name + "=" + p.Value.GetRawText());
        return string.Join(",", fields).Replace(Path.ChangeExtension(resultsFile, null), "RESULTS", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_and_a_worker_write_the_results_file_and_summary_of_the_same_campaign_run_locally()
    {
        string[] campaign = ["chaos", Topology("rdma-seed"), "--policy", "mr-holds-lease", "--chaos", Plan("delays"), "--runs", "300", "--seed", "21", "--json", "--parallel", "1"];
        var local = _dir.File("local.jsonl");
        var clustered = _dir.File("cluster.jsonl");
        var (localExit, localSummary, localErr) = CliRunner.Run([.. campaign, "--out", local]);
        Assert.True(localExit == 0, localErr);

        var coordinatorErrors = new CoordinatorErrors();
        var coordinator = Task.Run(() => Run(coordinatorErrors, [.. campaign, "--out", clustered, "--cluster", "127.0.0.1:0", "--min-workers", "1"]));
        var endpoint = await coordinatorErrors.Endpoint.WaitAsync(Limit);
        var worker = Task.Run(() => Run(new StringWriter(), "worker", "--join", endpoint, "--parallel", "1"));
        var (exit, summary, errors) = await coordinator.WaitAsync(Limit);
        var (workerExit, _, workerErrors) = await worker.WaitAsync(Limit);

        Assert.True(exit == 0, errors);
        Assert.True(workerExit == 0, workerErrors);
        Assert.Equal(Runs(local), Runs(clustered));
        Assert.Equal(Summary(localSummary, local), Summary(summary, clustered));
        Assert.Contains("1 worker(s) joined: handing out runs", errors, StringComparison.Ordinal);
        Assert.Matches(@"this worker made [1-9]\d* runs", workerErrors);
    }

    [Fact]
    public void Cluster_options_without_cluster_and_bad_addresses_are_bad_usage()
    {
        var (exit, _, error) = CliRunner.Run("chaos", Topology("handler-in-time"), "--runs", "5", "--min-workers", "2");
        Assert.Equal(2, exit);
        Assert.Contains("--min-workers and --no-local go with --cluster", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run("chaos", Topology("handler-in-time"), "--runs", "5", "--cluster", "localhost");
        Assert.Equal(2, exit);
        Assert.Contains("--cluster must be HOST:PORT", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run("worker", "--join", "127.0.0.1");
        Assert.Equal(2, exit);
        Assert.Contains("--join must be HOST:PORT", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run("worker", "--join", "127.0.0.1:4053", "--parallel", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--parallel must be positive", error, StringComparison.Ordinal);
    }
}
