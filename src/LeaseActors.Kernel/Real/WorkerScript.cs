using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LeaseActors.Conformance.Plans;
using LeaseActors.Processes;

namespace LeaseActors.Conformance.Real;

/// <summary>
/// A plan compiled into the worker's line script (see the header of <c>Worker/leaseworker.c</c>): processes,
/// initial signal actions and masks, socket pairs, and every step list laid out contiguously. Paths are moved
/// under the run's temporary folder. <see cref="LabelOf"/> maps the worker's step
/// numbers back to plan labels.
/// </summary>
public sealed class WorkerScript
{
    private readonly ConformancePlan _plan;
    private readonly string _root;
    private readonly List<string?> _stepLines = [];
    private readonly List<string> _labels = [];
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _labelIndex = new(StringComparer.Ordinal);
    private readonly List<(Step Step, int Index, string Process)> _pendingWaits = [];

    private WorkerScript(ConformancePlan plan, string root)
    {
        _plan = plan;
        _root = root;
    }

    /// <summary>The script text.</summary>
    public string Text { get; private set; } = "";

    /// <summary>The plan label of worker step <paramref name="index"/>.</summary>
    public string LabelOf(int index) => _labels[index];

    /// <summary>Every absolute path the topology uses, moved under the run's folder (files, O_CREAT targets, rename/link targets).</summary>
    public ImmutableHashSet<string> Paths { get; private set; } = [];

    /// <summary>The path <paramref name="path"/> of the topology under the run's folder.</summary>
    public static string Under(string root, string path) => Path.Join(root, path);

    /// <summary>Compiles <paramref name="plan"/> for a run whose files live under <paramref name="root"/>.</summary>
    /// <exception cref="UnsupportedTopologyException">A path with blanks, an fd given by number, or a sub-second lease-break-time.</exception>
    public static WorkerScript Compile(ConformancePlan plan, string root)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var script = new WorkerScript(plan, root);
        script.Build();
        return script;
    }

    private void Build()
    {
        var scenario = _plan.Topology.Scenario;
        var head = new StringBuilder();
        var paths = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        _paths = paths;
        foreach (var p in _plan.Processes)
            head.Append(CultureInfo.InvariantCulture, $"P {p.Index} {(p.Parent is null ? 1 : 0)} {p.Uid}\n");
        foreach (var spawn in scenario.Processes)
        {
            var idx = _plan.ProcessIndex(spawn.Name);
            foreach (var (signo, action) in (spawn.Actions ?? ImmutableDictionary<int, SignalAction>.Empty).OrderBy(kv => kv.Key))
            {
                var (kind, restart, takes, first, count) = Action(spawn.Name, action);
                head.Append(CultureInfo.InvariantCulture, $"A {idx} {signo} {kind} {restart} {takes} {first} {count}\n");
            }
            if (!spawn.Blocked.IsDefault)
                foreach (var signo in spawn.Blocked) head.Append(CultureInfo.InvariantCulture, $"M {idx} {signo}\n");
            var (f, c) = EmitList(spawn.Name, spawn.Program);
            head.Append(CultureInfo.InvariantCulture, $"C {idx} {f} {c}\n");
        }
        foreach (var socket in scenario.Sockets)
            head.Append(CultureInfo.InvariantCulture, $"O {_plan.ProcessIndex(socket.ProcessA)} {_plan.ProcessIndex(socket.ProcessB)} {Slot(socket.Name)}\n");
        foreach (var (step, index, process) in _pendingWaits)
        {
            var w = (WaitForStep)step;
            var target = _plan.ProcessIndex(w.Process);
            var mark = w.Mark == "exited" ? -1 : _labelIndex.TryGetValue(w.Mark, out var m) ? m : throw new UnsupportedTopologyException($"{_plan.Original.Name}: process {process} waits for {w.Process}.{w.Mark}, which no step defines");
            _stepLines[index] = Line(index, "waitfor", step, [target, mark], []);
        }
        foreach (var file in scenario.Files) paths.Add(file.Path);
        Paths = paths.ToImmutable();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"N {_plan.Processes.Length} {Math.Max(1, _slots.Count)} {_stepLines.Count}\n");
        text.Append(head);
        foreach (var line in _stepLines) text.Append(line).Append('\n');
        text.Append("G\n");
        Text = text.ToString();
    }

    private ImmutableHashSet<string>.Builder _paths = ImmutableHashSet.CreateBuilder<string>();

    private (char Kind, int Restart, long TakesUs, int First, int Count) Action(string process, SignalAction action) => action switch
    {
        SignalAction.IgnoreAction => ('I', 0, 0, 0, 0),
        SignalAction.Handle h => Handler(process, h.Handler),
        _ => ('D', 0, 0, 0, 0),
    };

    private (char, int, long, int, int) Handler(string process, SignalHandler handler)
    {
        var (first, count) = EmitList(process, handler.Steps);
        return ('H', handler.Restart ? 1 : 0, handler.Takes.Ticks / TimeSpan.TicksPerMicrosecond, first, count);
    }

    private (int First, int Count) EmitList(string process, ImmutableArray<Step> steps)
    {
        var first = _stepLines.Count;
        foreach (var step in steps)
        {
            _stepLines.Add(null);
            _labels.Add(step is LabelStep l ? l.Name : step.Label ?? "");
        }
        for (var i = 0; i < steps.Length; i++)
        {
            var index = first + i;
            var step = steps[i];
            if (_labels[index].Length > 0) _labelIndex[_labels[index]] = index;
            _stepLines[index] = Encode(process, step, index);
        }
        return (first, steps.Length);
    }

    private string? Encode(string process, Step step, int index)
    {
        switch (step)
        {
            case SleepStep s: return Line(index, "sleep", step, [s.Duration.Ticks / TimeSpan.TicksPerMicrosecond], []);
            case LabelStep: return Line(index, "label", step, [], []);
            case FaultStep: return Line(index, "fault", step, [], []);
            case WaitForStep:
                _pendingWaits.Add((step, index, process));
                return null;
            case CallStep c: return EncodeCall(process, c.Call, step, index);
            default: throw new UnsupportedTopologyException($"{_plan.Original.Name}: step {step.GetType().Name} is not run by the real-kernel executor");
        }
    }

    private string EncodeCall(string process, Syscall call, Step step, int index)
    {
        string L(string op, long[] ints, params string[] strings) => Line(index, op, step, ints, strings);
        return call switch
        {
            Open o => L("open", [(long)o.Flags, NameSlot(o.As)], PathOf(o.Path)),
            Close c => L("close", [Fd(c.Fd)]),
            Dup d => L("dup", [Fd(d.Fd), NameSlot(d.As)]),
            Stat s => L("stat", [], PathOf(s.Path)),
            Truncate t => L("truncate", [t.Length], PathOf(t.Path)),
            Ftruncate t => L("ftruncate", [Fd(t.Fd), t.Length]),
            Write w => L("write", [Fd(w.Fd), w.Bytes]),
            Unlink u => L("unlink", [], PathOf(u.Path)),
            Rename r => L("rename", [], PathOf(r.From), PathOf(r.To)),
            Link l => L("link", [], PathOf(l.Existing), PathOf(l.NewPath)),
            Chmod c => L("chmod", [c.Mode], PathOf(c.Path)),
            Chown c => L("chown", [c.Uid], PathOf(c.Path)),
            Utimensat u => L("utimensat", [], PathOf(u.Path)),
            Mmap m => L("mmap", [Fd(m.Fd), m.Shared ? 1 : 0, NameSlot(m.As is null ? null : "map:" + m.As)]),
            Munmap m => L("munmap", [NameSlot("map:" + m.Mapping)]),
            SetLease s => L("setlease", [Fd(s.Fd), s.Arg]),
            GetLease g => L("getlease", [Fd(g.Fd)]),
            SetOwn s => L("setown", [Fd(s.Fd), s.Target is { } t ? Proc(t) : -1, s.Target is { IsGroup: true } ? 1 : 0]),
            SetOwnEx s => L("setownex", [Fd(s.Fd), (long)s.Kind, Proc(s.Target)]),
            GetOwn g => L("getown", [Fd(g.Fd)]),
            GetOwnEx g => L("getownex", [Fd(g.Fd)]),
            SetSig s => L("setsig", [Fd(s.Fd), s.Signo]),
            GetSig g => L("getsig", [Fd(g.Fd)]),
            SetCloexec s => L("setfd", [Fd(s.Fd), s.Cloexec ? 1 : 0]),
            Fork f => Fork(f, step, index),
            Exit e => L("exit", [e.Status]),
            Kill k => L("kill", [Proc(k.Target), k.Target.IsGroup ? 1 : 0, k.Signo]),
            Setpgid p => L("setpgid", [p.Leader is { } l ? Proc(l) : -1]),
            Setuid u => L("setuid", [u.Uid]),
            Setfsuid u => L("setfsuid", [u.Uid]),
            SetCapLease c => L("caplease", [c.Granted ? 1 : 0]),
            SocketPair sp => L("socketpair", [NameSlot(sp.As0), NameSlot(sp.As1)]),
            SendMsg s => L("sendmsg", [Fd(s.Socket), s.Fds.Length, .. s.Fds.Select(f => (long)Fd(f))]),
            RecvMsg r => L("recvmsg", [Fd(r.Socket), r.As.Length, .. r.As.Select(a => (long)NameSlot(a))]),
            Sigaction sa => SigactionLine(process, sa, step, index),
            Sigprocmask m => L("sigprocmask", [(long)m.How, m.Signals.Length, .. m.Signals.Select(s => (long)s)]),
            _ => throw new UnsupportedTopologyException($"{_plan.Original.Name}: {call.Name} is not run by the real-kernel executor"),
        };
    }

    private string Fork(Fork f, Step step, int index)
    {
        var (first, count) = EmitList(f.ChildName, f.ChildProgram);
        return Line(index, "fork", step, [_plan.ProcessIndex(f.ChildName), first, count], []);
    }

    private string SigactionLine(string process, Sigaction sa, Step step, int index)
    {
        var (kind, restart, takes, first, count) = Action(process, sa.Action);
        return Line(index, "sigaction", step, [sa.Signo, kind, restart, takes, first, count], []);
    }

    private static string Line(int index, string op, Step step, long[] ints, string[] strings)
    {
        var labelled = step is LabelStep || step.Label is not null ? 1 : 0;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"S {index} {op} {labelled} {ints.Length}");
        foreach (var i in ints) sb.Append(' ').Append(i.ToString(CultureInfo.InvariantCulture));
        sb.Append(' ').Append(strings.Length.ToString(CultureInfo.InvariantCulture));
        foreach (var s in strings) sb.Append(' ').Append(s);
        return sb.ToString();
    }

    private string PathOf(string path)
    {
        if (path.Any(char.IsWhiteSpace) || path.Length == 0)
            throw new UnsupportedTopologyException($"{_plan.Original.Name}: path \"{path}\" has blanks; the real-kernel executor takes paths without them");
        _paths.Add(path);
        return Under(_root, path);
    }

    private int Fd(FdRef fd) => fd.Name is { } name ? Slot(name)
        : throw new UnsupportedTopologyException($"{_plan.Original.Name}: fd {fd} is given by number; topologies name fds");

    private int NameSlot(string? name) => name is null ? -1 : Slot(name);

    private int Slot(string name)
    {
        if (!_slots.TryGetValue(name, out var slot)) _slots[name] = slot = _slots.Count;
        return slot;
    }

    private int Proc(ProcessRef p)
    {
        if (p.Name is null && p.Pid == 0) return -1;
        if (p.Name is not { } name) throw new UnsupportedTopologyException($"{_plan.Original.Name}: process {p} is given by pid; topologies name processes");
        var idx = _plan.ProcessIndex(name);
        return idx >= 0 ? idx : throw new UnsupportedTopologyException($"{_plan.Original.Name}: unknown process {name}");
    }
}
