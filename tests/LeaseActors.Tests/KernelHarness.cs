using System.Collections.Immutable;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Tests;

/// <summary>One simulation system and driver for a test class.</summary>
public sealed class KernelFixture : IDisposable
{
    public KernelFixture()
    {
        System = SimulationSetup.CreateSystem("kernel-tests");
        Driver = new SimulationDriver(System);
    }

    public Akka.Actor.ActorSystem System { get; }

    public SimulationDriver Driver { get; }

    public TraceView Run(Scenario scenario, ulong seed = 0)
    {
        var result = Driver.Run(new RunOptions { Seed = seed }, run =>
        {
            _ = new LeaseActors.Judging.RunJudge(run.Trace); // its monitors add findings to the trace
            return scenario.RootProps(run);
        });
        Assert.Empty(result.Failures);
        return new TraceView(result);
    }

    public void Dispose()
    {
        Driver.Dispose();
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}

/// <summary>Builds scenarios in C# with the names topologies use.</summary>
public sealed class ScenarioBuilder
{
    private readonly List<EmulatedKernel.CreateFile> _files = [];
    private readonly List<EmulatedKernel.Spawn> _processes = [];
    private readonly List<EmulatedKernel.ConnectSocket> _sockets = [];
    private KernelOptions _options = new();

    public ScenarioBuilder Options(Func<KernelOptions, KernelOptions> change)
    {
        _options = change(_options);
        return this;
    }

    public ScenarioBuilder File(string path, int owner = 0, FileType type = FileType.Regular)
    {
        _files.Add(new EmulatedKernel.CreateFile(path, type, 4096, owner));
        return this;
    }

    public ScenarioBuilder Process(string name, params Step[] program) => Process(name, 0, null, program);

    public ScenarioBuilder Process(string name, int uid, ImmutableDictionary<int, SignalAction>? actions, params Step[] program)
    {
        _processes.Add(new EmulatedKernel.Spawn(name, [.. program], uid, actions));
        return this;
    }

    public ScenarioBuilder Socket(string name, string a, string b)
    {
        _sockets.Add(new EmulatedKernel.ConnectSocket(name, a, b));
        return this;
    }

    public Scenario Build() => new() { Options = _options, Files = [.. _files], Processes = [.. _processes], Sockets = [.. _sockets] };

    public static ImmutableDictionary<int, SignalAction> Handles(int signo, TimeSpan takes, bool restart, params Step[] steps) =>
        ImmutableDictionary<int, SignalAction>.Empty.Add(signo, new SignalAction.Handle(new SignalHandler(takes, [.. steps], restart)));
}

/// <summary>Short names for program steps.</summary>
public static class S
{
    public static CallStep Do(Syscall call, string? label = null) => new(call) { Label = label };
    public static CallStep Open(string path, OpenFlags flags, string name, string? label = null) => Do(new Open(path, flags, name), label);
    public static CallStep Lease(string fd, LeaseActors.Leases.LeaseType type, string? label = null) => Do(new SetLease(fd, (int)type), label);
    public static CallStep GetLease(string fd, string? label = null) => Do(new GetLease(fd), label);
    public static CallStep Close(string fd, string? label = null) => Do(new Close(fd), label);
    public static SleepStep Sleep(TimeSpan t) => new(t);
    public static WaitForStep WaitFor(string process, string label) => new(process, label);
    public static LabelStep Label(string name) => new(name);
    public static CallStep Exit(int status = 0) => Do(new Exit(status));
}

/// <summary>Queries over a run's trace, by the field names of <see cref="Tracing.KernelTrace"/>.</summary>
public sealed class TraceView(RunResult result)
{
    public RunResult Result { get; } = result;

    public IEnumerable<(TimeSpan Time, TraceEvent Event)> Events(string kind) =>
        Result.Trace.Entries.Where(e => e.Event.Kind == kind).Select(e => (e.Time, (TraceEvent)e.Event));

    /// <summary>The result of the step labelled <paramref name="label"/> in <paramref name="process"/>, and how long it took.</summary>
    public (long Value, string? Errno, TimeSpan Took) Step(string process, string label)
    {
        var exit = Events("syscall.exit").LastOrDefault(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);
        Assert.True(exit.Event is not null, $"{process} has no completed step labelled {label}:\n{Dump()}");
        var entered = TimeSpan.FromTicks((long)exit.Event["enteredUs"]! * TimeSpan.TicksPerMicrosecond);
        return ((long)exit.Event["value"]!, (string?)exit.Event["errno"], exit.Time - entered);
    }

    public bool Completed(string process, string label) =>
        Events("syscall.exit").Any(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);

    /// <summary>Signals that reached <paramref name="process"/> and what it did with them.</summary>
    public List<(string Signal, string Action, long Code, long Fd)> Signals(string process) =>
        [.. Events("signal.delivered").Where(e => (string?)e.Event["process"] == process)
            .Select(e => ((string)e.Event["signal"]!, (string)e.Event["action"]!, Convert.ToInt64(e.Event["code"], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(e.Event["fd"], System.Globalization.CultureInfo.InvariantCulture)))];

    public string[] Findings() => [.. Events("finding").Select(e => (string)e.Event["id"]!)];

    public bool Exited(string process) => Events("process.exited").Any(e => (string?)e.Event["process"] == process);

    public string Dump() => string.Join("\n", Result.Trace.Entries.Select(e => $"{e.Time.TotalMilliseconds,10:F3} {e.Event}"));
}
