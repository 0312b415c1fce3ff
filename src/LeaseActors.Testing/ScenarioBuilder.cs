using System.Collections.Immutable;
using LeaseActors.Chaos;
using LeaseActors.Files;
using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Testing.Internal;
using LeaseActors.Topologies;

namespace LeaseActors.Testing;

/// <summary>
/// Builds a scenario in C# with the names topology files use — files, processes with programs and signal handlers,
/// socket pairs, the policy, the lease-break time, a chaos plan — and runs it in simulation: once
/// (<see cref="Simulate"/>) or for many seeds (<see cref="ForSeeds(Range)"/>), each run judged like
/// <c>leaseactors run</c> judges a topology.
/// </summary>
/// <remarks>
/// The builder is mutable and each method returns it, so a test reads top to bottom. <see cref="Build"/> gives the
/// plain <see cref="Scenario"/> (for <see cref="KernelFixture.Run"/> or <see cref="Scenario.RootProps"/>);
/// <see cref="ToTopology"/> the <see cref="Topology"/> the runs use, and <see cref="ToTopologyText"/> the same as a
/// topology file, which is what a failure message prints so that <c>leaseactors replay</c> can run the failing seed.
/// </remarks>
public sealed class ScenarioBuilder
{
    private readonly List<EmulatedKernel.CreateFile> _files = [];
    private readonly List<EmulatedKernel.Spawn> _processes = [];
    private readonly List<EmulatedKernel.ConnectSocket> _sockets = [];
    private KernelOptions _options = new();
    private ChaosPlan _chaos = ChaosPlan.None;
    private TimeSpan _horizon = TimeSpan.FromHours(1);
    private string _name = "scenario";
    private string? _description;

    /// <summary>Names the scenario (its topology name in reports and in the file a failure prints). Default <c>scenario</c>.</summary>
    public ScenarioBuilder Named(string name, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        _description = description;
        return this;
    }

    /// <summary>Changes the kernel's options (sysctls, handler-fault policy, first pid, …).</summary>
    public ScenarioBuilder Options(Func<KernelOptions, KernelOptions> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _options = change(_options);
        return this;
    }

    /// <summary>
    /// Runs under <paramref name="policy"/>: one of <see cref="KernelPolicies.All"/> or a record of your own (for
    /// example <c>KernelPolicies.MrHoldsLease with { Name = "mine", KillOwnerAtDeadline = true }</c>). Default mainline.
    /// </summary>
    public ScenarioBuilder Policy(KernelPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _options = _options with { Policy = policy };
        return this;
    }

    /// <summary>Runs under the built-in policy named <paramref name="name"/> (<c>mainline</c>, <c>rfc-v2</c>, …).</summary>
    /// <exception cref="ArgumentException">No built-in policy has that name; the message lists them.</exception>
    public ScenarioBuilder Policy(string name) => Policy(Policies.Get(name));

    /// <summary>Sets <c>/proc/sys/fs/lease-break-time</c> (default 45 s; zero: a break never times out).</summary>
    public ScenarioBuilder LeaseBreakTime(TimeSpan time) => Options(o => o with { LeaseBreakTime = time });

    /// <summary>Injects the faults of <paramref name="plan"/>, sampled from each run's seed. Default none.</summary>
    public ScenarioBuilder Chaos(ChaosPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _chaos = plan;
        return this;
    }

    /// <summary>Virtual time after which a run stops and reports what is still blocked. Default 1 h.</summary>
    public ScenarioBuilder Horizon(TimeSpan horizon)
    {
        if (horizon <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "The horizon must be positive.");
        _horizon = horizon;
        return this;
    }

    /// <summary>A file at <paramref name="path"/> (absolute), owned by <paramref name="owner"/>, of <paramref name="size"/> bytes; <paramref name="dax"/> makes it FS-DAX.</summary>
    public ScenarioBuilder File(string path, int owner = 0, FileType type = FileType.Regular, long size = 4096, bool dax = false)
    {
        _files.Add(new EmulatedKernel.CreateFile(path, type, size, owner, dax));
        return this;
    }

    /// <summary>A process running <paramref name="program"/> as root, with default signal dispositions; it exits when the program ends.</summary>
    public ScenarioBuilder Process(string name, params Step[] program) => Process(name, 0, null, program);

    /// <summary>A process with credentials <paramref name="uid"/>, signal <paramref name="actions"/> (see <see cref="Acts"/>) and <paramref name="program"/>.</summary>
    public ScenarioBuilder Process(string name, int uid, ImmutableDictionary<int, SignalAction>? actions, params Step[] program)
    {
        _processes.Add(new EmulatedKernel.Spawn(name, [.. program], uid, actions));
        return this;
    }

    /// <summary>
    /// Installs a handler for <paramref name="signo"/> in <paramref name="process"/> (added earlier): it takes
    /// <paramref name="takes"/> of virtual time, then runs <paramref name="steps"/>, without SA_RESTART.
    /// </summary>
    /// <exception cref="ArgumentException">No process of that name was added.</exception>
    public ScenarioBuilder Handler(string process, int signo, TimeSpan takes, params Step[] steps) =>
        Handler(process, signo, new SignalHandler(takes, [.. steps]));

    /// <summary>Installs <paramref name="handler"/> for <paramref name="signo"/> in <paramref name="process"/> (added earlier).</summary>
    /// <exception cref="ArgumentException">No process of that name was added.</exception>
    public ScenarioBuilder Handler(string process, int signo, SignalHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Action(process, signo, new SignalAction.Handle(handler));
    }

    /// <summary>Sets <paramref name="signo"/> to SIG_IGN in <paramref name="process"/> (added earlier).</summary>
    /// <exception cref="ArgumentException">No process of that name was added.</exception>
    public ScenarioBuilder Ignore(string process, int signo) => Action(process, signo, SignalAction.Ignore);

    private ScenarioBuilder Action(string process, int signo, SignalAction action)
    {
        var i = _processes.FindIndex(p => p.Name == process);
        if (i < 0) throw new ArgumentException($"no process '{process}' yet: add it with Process(...) before its handlers", nameof(process));
        var spawn = _processes[i];
        _processes[i] = spawn with { Actions = (spawn.Actions ?? ImmutableDictionary<int, SignalAction>.Empty).SetItem(signo, action) };
        return this;
    }

    /// <summary>A unix socket pair <paramref name="name"/> with one end in <paramref name="a"/> and one in <paramref name="b"/>, each an fd named <paramref name="name"/>.</summary>
    public ScenarioBuilder Socket(string name, string a, string b)
    {
        _sockets.Add(new EmulatedKernel.ConnectSocket(name, a, b));
        return this;
    }

    /// <summary>The scenario as built so far (options, files, processes, sockets; the chaos plan is applied per run).</summary>
    public Scenario Build() => new() { Options = _options, Files = [.. _files], Processes = [.. _processes], Sockets = [.. _sockets] };

    /// <summary>The scenario as a topology: what <see cref="Simulate"/> runs.</summary>
    public Topology ToTopology() => new()
    {
        Name = _name,
        Source = "(LeaseActors.Testing)",
        Description = _description ?? "",
        Scenario = Build(),
        Policy = _options.Policy.Name,
        Horizon = _horizon,
        ChaosPlan = _chaos,
        ProcessNames = [.. _processes.Select(p => p.Name)],
    };

    /// <summary>
    /// The scenario as a topology file (docs/topology-format.md), policy and chaos plan included, for
    /// <c>leaseactors run|replay|trace|chaos</c>.
    /// </summary>
    /// <exception cref="NotSupportedException">A step cannot be written in the format (an fd given by number, a process kept alive after its program).</exception>
    public string ToTopologyText() =>
        TopologyWriter.Write(_name, _description, Build(), _options.Policy.Name, _horizon, _chaos);

    /// <summary>
    /// Runs the scenario once with <paramref name="seed"/> (its schedule and its chaos samples) and judges it.
    /// Uses <paramref name="fixture"/>'s driver, or a fixture of its own for this call.
    /// </summary>
    /// <exception cref="InvalidOperationException">The emulated kernel failed (a bug, or a refused scenario).</exception>
    public ScenarioRun Simulate(ulong seed = 0, KernelFixture? fixture = null)
    {
        var topology = ToTopology();
        var policy = _options.Policy;
        string? text = null;
        string Text() => text ??= TopologyTextOrReason();
        if (fixture is not null) return Run(fixture, topology, policy, seed, Text);
        using var own = new KernelFixture();
        return Run(own, topology, policy, seed, Text);
    }

    /// <summary>Runs for every seed of <paramref name="seeds"/> (<c>0..200</c>: seeds 0 to 199), lazily, in order.</summary>
    public SeedSweep ForSeeds(Range seeds)
    {
        if (seeds.Start.IsFromEnd || seeds.End.IsFromEnd) throw new ArgumentException("seeds must be a range of explicit numbers, such as 0..200", nameof(seeds));
        var (start, end) = (seeds.Start.Value, seeds.End.Value);
        return ForSeeds(Enumerable.Range(start, Math.Max(0, end - start)).Select(i => (ulong)i));
    }

    /// <summary>Runs for each of <paramref name="seeds"/>, lazily, in the order given.</summary>
    public SeedSweep ForSeeds(IEnumerable<ulong> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var topology = ToTopology();
        var policy = _options.Policy;
        string? text = null;
        string Text() => text ??= TopologyTextOrReason();
        return new SeedSweep([.. seeds], (fixture, seed) => Run(fixture, topology, policy, seed, Text));
    }

    private static ScenarioRun Run(KernelFixture fixture, Topology topology, KernelPolicy policy, ulong seed, Func<string> text)
    {
        var report = TopologyRunner.Run(fixture.Driver, topology, null, seed, new TopologyRunSettings { Policy = policy });
        return new ScenarioRun(report, policy, KernelPolicies.Find(policy.Name) == policy, text);
    }

    private string TopologyTextOrReason()
    {
        try
        {
            return ToTopologyText();
        }
        catch (NotSupportedException e)
        {
            return "(no topology file: " + e.Message + ")";
        }
    }

    /// <summary>A signal action table with one handler: for <paramref name="signo"/>, take <paramref name="takes"/>, then run <paramref name="steps"/>.</summary>
    public static ImmutableDictionary<int, SignalAction> Handles(int signo, TimeSpan takes, bool restart, params Step[] steps) =>
        ImmutableDictionary<int, SignalAction>.Empty.Add(signo, new SignalAction.Handle(new SignalHandler(takes, [.. steps], restart)));
}
