using System.Globalization;
using System.Text;
using LeaseActors.Judging;
using LeaseActors.Kernel;

namespace LeaseActors.Testing;

/// <summary>
/// One judged simulated run of a <see cref="ScenarioBuilder"/>: its seed, its <see cref="RunReport"/> (verdict,
/// breaks, findings, still-blocked calls), queries over its trace (<see cref="Trace"/>), and assertions whose failure
/// messages say what was expected, what happened, and how to replay the run (<see cref="Describe"/>).
/// </summary>
/// <remarks>Every assertion returns the run, so several chain; the first that fails throws a <see cref="LeaseActorsAssertionException"/>.</remarks>
public sealed class ScenarioRun
{
    private readonly Func<string> _topologyText;
    private readonly bool _builtInPolicy;

    internal ScenarioRun(RunReport report, KernelPolicy policy, bool builtInPolicy, Func<string> topologyText)
    {
        Report = report;
        Policy = policy;
        _builtInPolicy = builtInPolicy;
        _topologyText = topologyText;
        Trace = new TraceView(report.Trace);
    }

    /// <summary>The judged report.</summary>
    public RunReport Report { get; }

    /// <summary>The run's seed.</summary>
    public ulong Seed => Report.Seed;

    /// <summary>The run's verdict (DESIGN.md §4).</summary>
    public Verdict Verdict => Report.Verdict;

    /// <summary>The policy the run was made under (possibly one of your own).</summary>
    public KernelPolicy Policy { get; }

    /// <summary>Queries over the run's trace.</summary>
    public TraceView Trace { get; }

    /// <summary>The scenario as a topology file, or why it cannot be written as one.</summary>
    public string TopologyText => _topologyText();

    /// <summary>
    /// What a failure message appends: the seed, policy, verdict and virtual end time, the command that replays the
    /// run with the CLI (save <see cref="TopologyText"/> as <c>NAME.conf</c>), and the topology itself.
    /// </summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"seed {Seed}, policy {Policy.Name}, verdict {Verdict.Name()}, ended by {Report.EndedBy} at {Report.VirtualTimeMs:0.###} ms, trace {Report.TraceSha256[..12]}\n");
        sb.Append(CultureInfo.InvariantCulture, $"replay in a test: .Simulate({Seed}); with the CLI: save the topology below as {Report.Topology}.conf, then\n");
        sb.Append(CultureInfo.InvariantCulture, $"  leaseactors replay {Report.Topology}.conf --seed {Seed}\n");
        if (!_builtInPolicy)
            sb.Append(CultureInfo.InvariantCulture, $"  (policy '{Policy.Name}' is not built in: the CLI runs the topology under the policy its file names, so replay this one in a test)\n");
        sb.Append("--- topology ---\n").Append(TopologyText);
        return sb.ToString();
    }

    /// <summary>Fails unless the verdict is <paramref name="verdict"/>.</summary>
    public ScenarioRun AssertVerdict(Verdict verdict) =>
        Check(Verdict == verdict, () => $"expected verdict {verdict.Name()}, got {Verdict.Name()}{Summary()}");

    /// <summary>Fails unless the step labelled <paramref name="label"/> in <paramref name="process"/> returned and failed with <paramref name="errno"/>.</summary>
    public ScenarioRun AssertStepFailed(string process, string label, Errno errno)
    {
        var step = StepOrFail(process, label);
        return Check(step.Errno == errno.ToString(), () => $"expected {process}.{label} to fail with {errno}, it returned {step.Errno ?? step.Value.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Fails unless the step labelled <paramref name="label"/> in <paramref name="process"/> returned successfully.</summary>
    public ScenarioRun AssertStepSucceeded(string process, string label)
    {
        var step = StepOrFail(process, label);
        return Check(step.Errno is null, () => $"expected {process}.{label} to succeed, it failed with {step.Errno}");
    }

    /// <summary>Fails unless the step labelled <paramref name="label"/> in <paramref name="process"/> returned <paramref name="value"/>.</summary>
    public ScenarioRun AssertStepReturned(string process, string label, long value)
    {
        var step = StepOrFail(process, label);
        return Check(step.Errno is null && step.Value == value, () => $"expected {process}.{label} to return {value}, it returned {step.Errno ?? step.Value.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Fails unless the step labelled <paramref name="label"/> in <paramref name="process"/> is still blocked when the run ends.</summary>
    public ScenarioRun AssertStillBlocked(string process, string label) =>
        Check(Report.Blocked.Any(b => b.Process == process && b.Label == label),
            () => $"expected {process}.{label} to be still blocked at the end; blocked: [{string.Join(", ", Report.Blocked.Select(b => $"{b.Process}.{b.Label ?? b.Call}"))}]");

    /// <summary>
    /// Fails unless the signals delivered to <paramref name="process"/> (handled, defaulted or ignored; not lost) are
    /// exactly <paramref name="signals"/>, in order (<c>"SIGIO"</c>, <c>"SIGRTMIN+1"</c>).
    /// </summary>
    public ScenarioRun AssertSignals(string process, params string[] signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var got = Trace.Signals(process).Where(s => !s.Action.StartsWith("lost", StringComparison.Ordinal)).Select(s => s.Signal).ToArray();
        return Check(got.SequenceEqual(signals), () => $"expected {process} to receive [{string.Join(", ", signals)}], it received [{string.Join(", ", got)}]");
    }

    /// <summary>Fails unless the run has no findings (H2 … H9) — or only those of <paramref name="allowed"/>.</summary>
    public ScenarioRun AssertNoFindings(params string[] allowed)
    {
        var unexpected = Report.Findings.Where(f => !allowed.Contains(f.Id)).ToList();
        return Check(unexpected.Count == 0, () => "expected no findings, got:\n" + string.Join("\n", unexpected.Select(f => $"  {f.Id} at {f.Time.TotalMilliseconds} ms: {f.Detail}")));
    }

    /// <summary>Fails if any reader of <paramref name="protocol"/> served a stale cached value (<see cref="CacheProtocol"/>).</summary>
    public ScenarioRun AssertNoStaleReads(CacheProtocol protocol)
    {
        var stale = Trace.StaleReads(protocol);
        return Check(stale.Count == 0, () => $"{stale.Count} stale read(s): " + string.Join("; ", stale.Select(s => s.ToString())));
    }

    /// <summary>Fails with <paramref name="what"/> unless <paramref name="holds"/> is true of the run (a property of your own).</summary>
    public ScenarioRun Assert(string what, Func<ScenarioRun, bool> holds)
    {
        ArgumentNullException.ThrowIfNull(holds);
        return Check(holds(this), () => "expected " + what);
    }

    /// <summary>Fails with <paramref name="message"/> (followed by <see cref="Describe"/>) unless <paramref name="condition"/>.</summary>
    public ScenarioRun Check(bool condition, Func<string> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!condition) throw Failure(message());
        return this;
    }

    /// <summary>An assertion failure of this run: <paramref name="message"/>, then <see cref="Describe"/>.</summary>
    public LeaseActorsAssertionException Failure(string message, Exception? inner = null)
    {
        var text = message + "\n" + Describe();
        return inner is null ? new LeaseActorsAssertionException(text) { Seed = Seed } : new LeaseActorsAssertionException(text, inner) { Seed = Seed };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Report.Topology} seed {Seed} under {Policy.Name}: {Verdict.Name()}";

    private (long Value, string? Errno, TimeSpan Took) StepOrFail(string process, string label)
    {
        if (!Trace.Completed(process, label))
            throw Failure(Report.Blocked.Any(b => b.Process == process && b.Label == label)
                ? $"{process}.{label} never returned: still blocked at the end"
                : $"{process}.{label} never ran");
        return Trace.Step(process, label);
    }

    private string Summary()
    {
        var sb = new StringBuilder();
        foreach (var b in Report.Breaks) sb.Append(CultureInfo.InvariantCulture, $"\n  break of {b}");
        foreach (var b in Report.Blocked) sb.Append(CultureInfo.InvariantCulture, $"\n  still blocked: {b.Process}.{b.Label ?? b.Call} since {b.SinceMs} ms");
        foreach (var f in Report.Findings) sb.Append(CultureInfo.InvariantCulture, $"\n  finding {f.Id}: {f.Detail}");
        return sb.ToString();
    }
}
