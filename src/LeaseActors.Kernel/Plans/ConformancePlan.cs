using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Topologies;

namespace LeaseActors.Conformance.Plans;

/// <summary>
/// A topology prepared to run on both executors: every step gets a unique label (so both report each step's
/// result under the same key), and each process's main program ends with <c>F_GETLEASE</c>, <c>F_GETOWN</c> and
/// <c>F_GETSIG</c> of every file fd name it holds (the final state the comparison includes).
/// </summary>
/// <remarks>
/// Labels are rewritten to <c>_N</c> (N = <see cref="PlannedStep.Id"/>) and <c>wait-for</c> marks remapped, so a
/// label names one step of the whole topology; <see cref="PlannedStep.UserLabel"/> keeps the original for display.
/// Only the mainline part of the model is accepted: threads, <c>execve</c>, and RFC policies are refused with
/// <see cref="UnsupportedTopologyException"/>.
/// </remarks>
public sealed class ConformancePlan
{
    private readonly Dictionary<string, PlannedStep> _byLabel;

    private ConformancePlan(Topology original, Topology prepared, ImmutableArray<PlannedStep> steps, ImmutableArray<PlannedProcess> processes)
    {
        Original = original;
        Topology = prepared;
        Steps = steps;
        Processes = processes;
        _byLabel = steps.ToDictionary(s => s.Label, StringComparer.Ordinal);
    }

    /// <summary>The topology as written.</summary>
    public Topology Original { get; }

    /// <summary>The topology both executors run: unique labels, final queries appended.</summary>
    public Topology Topology { get; }

    /// <summary>Every step of every program and handler, indexed by <see cref="PlannedStep.Id"/>.</summary>
    public ImmutableArray<PlannedStep> Steps { get; }

    /// <summary>Every process: top-level ones in file order, each followed by the ones its <c>fork</c> steps create.</summary>
    public ImmutableArray<PlannedProcess> Processes { get; }

    /// <summary>The step with the rewritten label <paramref name="label"/>, or null.</summary>
    public PlannedStep? StepByLabel(string? label) => label is not null && _byLabel.TryGetValue(label, out var s) ? s : null;

    /// <summary>The index of process <paramref name="name"/> in <see cref="Processes"/>, or -1.</summary>
    public int ProcessIndex(string name)
    {
        for (var i = 0; i < Processes.Length; i++) if (Processes[i].Name == name) return i;
        return -1;
    }

    /// <summary>Prepares <paramref name="topology"/>.</summary>
    /// <exception cref="UnsupportedTopologyException">It uses something the real-kernel executor does not run.</exception>
    public static ConformancePlan Create(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        if (topology.Policy is { } policy && policy != "mainline")
            throw new UnsupportedTopologyException($"{topology.Name}: policy {policy} is not mainline; the real kernel only runs mainline topologies");
        return new Builder(topology).Build();
    }

    private sealed class Builder(Topology topology)
    {
        private readonly List<PlannedStep> _steps = [];
        private readonly List<PlannedProcess> _processes = [];
        private readonly Dictionary<(string Process, string Label), string> _labels = [];
        private readonly HashSet<string> _sockets = new(StringComparer.Ordinal);

        public ConformancePlan Build()
        {
            foreach (var s in topology.Scenario.Sockets) _sockets.Add(s.Name);
            // First pass: ids and new labels for every step, so wait-for can point forward and across processes.
            var top = topology.Scenario.Processes;
            var assigned = new Dictionary<Step, int>(ReferenceEqualityComparer.Instance);
            foreach (var spawn in top)
            {
                Assign(spawn.Name, spawn.Program, assigned);
                foreach (var (_, action) in spawn.Actions ?? ImmutableDictionary<int, SignalAction>.Empty)
                    if (action is SignalAction.Handle h) Assign(spawn.Name, h.Handler.Steps, assigned);
            }
            _nextId = assigned.Count;
            var spawns = ImmutableArray.CreateBuilder<EmulatedKernel.Spawn>();
            foreach (var spawn in top)
            {
                _processes.Add(new PlannedProcess(spawn.Name, null, _processes.Count, spawn.Uid));
                var given = spawn.Actions ?? ImmutableDictionary<int, SignalAction>.Empty;
                _names[spawn.Name] = FdNames(spawn.Program, given.Values, []);
                var actions = given.ToImmutableDictionary(kv => kv.Key, kv => Rewrite(spawn.Name, kv.Value, assigned, $"handler {Signals.Sig.Name(kv.Key)}"));
                var program = RewriteList(spawn.Name, spawn.Program, assigned, "program");
                program = WithFinalQueries(spawn.Name, program);
                spawns.Add(spawn with { Program = program, Actions = actions });
            }
            var prepared = topology with { Scenario = topology.Scenario with { Processes = spawns.ToImmutable() } };
            return new ConformancePlan(topology, prepared, [.. _steps.OrderBy(s => s.Id)], [.. _processes]);
        }

        private void Assign(string process, ImmutableArray<Step> steps, Dictionary<Step, int> assigned)
        {
            foreach (var step in steps)
            {
                var id = assigned.Count;
                assigned[step] = id;
                var label = step is LabelStep l ? l.Name : step.Label;
                if (label is not null) _labels[(process, label)] = "_" + id.ToString(CultureInfo.InvariantCulture);
                switch (step)
                {
                    case CallStep { Call: Fork fork }:
                        Assign(fork.ChildName, fork.ChildProgram, assigned);
                        break;
                    case CallStep { Call: Sigaction { Action: SignalAction.Handle h } }:
                        Assign(process, h.Handler.Steps, assigned);
                        break;
                    case CallStep { Call: SpawnThread }:
                        throw new UnsupportedTopologyException($"{topology.Name}: process {process} starts a thread; the real-kernel executor runs single-threaded processes only");
                    case CallStep { Call: Execve }:
                        throw new UnsupportedTopologyException($"{topology.Name}: process {process} calls execve, which the real-kernel executor does not run");
                    case CallStep { Call: ExitThread }:
                        throw new UnsupportedTopologyException($"{topology.Name}: process {process} uses exit-thread, which the real-kernel executor does not run");
                    case CallStep { Call: SetOwnEx { Kind: OwnerKind.F_OWNER_TID, Target.Name: { } t } } when t.Contains('.', StringComparison.Ordinal):
                        throw new UnsupportedTopologyException($"{topology.Name}: process {process} names a thread as owner; the real-kernel executor has no threads");
                }
            }
        }

        private SignalAction Rewrite(string process, SignalAction action, Dictionary<Step, int> assigned, string where) =>
            action is SignalAction.Handle h
                ? new SignalAction.Handle(h.Handler with { Steps = RewriteList(process, h.Handler.Steps, assigned, where) })
                : action;

        private ImmutableArray<Step> RewriteList(string process, ImmutableArray<Step> steps, Dictionary<Step, int> assigned, string where)
        {
            var result = ImmutableArray.CreateBuilder<Step>(steps.Length);
            for (var i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                var id = assigned[step];
                var label = "_" + id.ToString(CultureInfo.InvariantCulture);
                var userLabel = step is LabelStep l ? l.Name : step.Label;
                Step rewritten = step switch
                {
                    LabelStep => new LabelStep(label),
                    WaitForStep w => w with { Mark = w.Mark == "exited" ? "exited" : _labels.TryGetValue((w.Process, w.Mark), out var m) ? m : w.Mark },
                    CallStep { Call: Fork fork } c => c with { Call = ForkChild(process, fork, assigned) },
                    CallStep { Call: Sigaction { Action: SignalAction.Handle } sa } c =>
                        c with { Call = sa with { Action = Rewrite(process, sa.Action, assigned, $"sigaction {Signals.Sig.Name(sa.Signo)}") } },
                    _ => step,
                };
                rewritten = rewritten is LabelStep ? rewritten : rewritten with { Label = label };
                _steps.Add(new PlannedStep(id, process, label, userLabel, rewritten, $"{where}[{i}]"));
                result.Add(rewritten);
            }
            return result.MoveToImmutable();
        }

        private Fork ForkChild(string parent, Fork fork, Dictionary<Step, int> assigned)
        {
            var parentIndex = _processes.FindIndex(p => p.Name == parent);
            _processes.Add(new PlannedProcess(fork.ChildName, parent, _processes.Count, parentIndex >= 0 ? _processes[parentIndex].Uid : 0));
            _names[fork.ChildName] = FdNames(fork.ChildProgram, [], _names.TryGetValue(parent, out var inherited) ? inherited : []);
            var program = RewriteList(fork.ChildName, fork.ChildProgram, assigned, "program");
            program = WithFinalQueries(fork.ChildName, program);
            return fork with { ChildProgram = program };
        }

        private readonly Dictionary<string, ImmutableArray<string>> _names = [];
        private int _nextId;

        private ImmutableArray<string> FdNames(ImmutableArray<Step> program, IEnumerable<SignalAction> actions, ImmutableArray<string> inherited)
        {
            var names = new List<string>(inherited);
            void Walk(IEnumerable<Step> steps)
            {
                foreach (var step in steps)
                {
                    switch (step)
                    {
                        case CallStep { Call: Open { As: { } a } }: Add(a); break;
                        case CallStep { Call: Dup { As: { } a } }: Add(a); break;
                        case CallStep { Call: RecvMsg r }: foreach (var a in r.As) Add(a); break;
                        case CallStep { Call: Sigaction { Action: SignalAction.Handle h } }: Walk(h.Handler.Steps); break;
                    }
                }
            }
            void Add(string name)
            {
                if (!_sockets.Contains(name) && !names.Contains(name)) names.Add(name);
            }
            Walk(program);
            foreach (var action in actions) if (action is SignalAction.Handle h) Walk(h.Handler.Steps);
            return [.. names];
        }

        private ImmutableArray<Step> WithFinalQueries(string process, ImmutableArray<Step> program)
        {
            var names = _names[process];
            var list = program.ToList();
            // Query before a closing exit step, which would otherwise end the program first.
            var at = list.Count > 0 && list[^1] is CallStep { Call: Exit } ? list.Count - 1 : list.Count;
            var queries = new List<Step>();
            foreach (var name in names)
            {
                foreach (var (call, what) in new (Syscall, string)[] { (new GetLease(name), "F_GETLEASE"), (new GetOwn(name), "F_GETOWN"), (new GetSig(name), "F_GETSIG") })
                {
                    var id = _nextId++;
                    var label = "_" + id.ToString(CultureInfo.InvariantCulture);
                    var step = new CallStep(call) { Label = label };
                    _steps.Add(new PlannedStep(id, process, label, null, step, $"final {name}") { FinalQuery = (name, what) });
                    queries.Add(step);
                }
            }
            list.InsertRange(at, queries);
            return [.. list];
        }
    }
}

/// <summary>A process of a plan: its name, the process that forked it (null for top-level ones), its index, its uid.</summary>
public sealed record PlannedProcess(string Name, string? Parent, int Index, int Uid);

/// <summary>
/// One step of a plan. <paramref name="Process"/> is the process whose program or handler defines it (a forked
/// child that inherits a handler runs the same step).
/// </summary>
public sealed record PlannedStep(int Id, string Process, string Label, string? UserLabel, Step Step, string Where)
{
    /// <summary>For the appended final-state queries: the fd name and the command (<c>F_GETLEASE</c>, …).</summary>
    public (string Fd, string Command)? FinalQuery { get; init; }

    /// <summary>The syscall, for call steps.</summary>
    public Syscall? Call => Step is CallStep c ? c.Call : null;

    /// <summary>Whether this step can wait (a breaking open or truncate, a recvmsg): its wait is classified.</summary>
    public bool CanBlock => Call is Open or Truncate or RecvMsg;

    /// <summary>How the step is shown: its user label if it has one, else where it is.</summary>
    public string Name => FinalQuery is { } f ? $"final {f.Command} {f.Fd}" : UserLabel ?? Where;

    /// <summary>A short text of what the step does (<c>open data O_RDWR</c>).</summary>
    public string Describe() => StepText.Of(Step);
}

/// <summary>The topology uses a feature the real-kernel executor does not run (threads, execve, a non-mainline policy).</summary>
public sealed class UnsupportedTopologyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedTopologyException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public UnsupportedTopologyException() { }

    /// <summary>Creates the exception.</summary>
    public UnsupportedTopologyException(string message, Exception inner) : base(message, inner) { }
}
