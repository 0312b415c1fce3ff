using System.Collections.Immutable;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Signals;

namespace LeaseActors.Topologies.Internal;

/// <summary>
/// Turns the node tree of one topology file into a <see cref="Topology"/>, checking every key, value and name on
/// the way. One instance per file. Names that may be defined later in the file (processes, labels, fd names bound
/// by other threads or handlers, paths created by other steps) are checked once everything has been read.
/// </summary>
internal sealed partial class TopologyReader
{
    private static readonly string[] TopKeys = ["name", "description", "policy", "horizon", "sysctl", "files", "sockets", "processes", "expect", "chaos"];
    private static readonly string[] SysctlKeys = ["lease-break-time", "leases-enable"];
    private static readonly string[] FileKeys = ["path", "size", "type", "owner", "dax"];
    private static readonly string[] ProcessKeys = ["uid", "program", "handlers", "ignore", "block"];
    private static readonly string[] HandlerKeys = ["takes", "restart", "siginfo", "steps"];

    private readonly string _source;
    private readonly ValueReader _values;
    private readonly TopologyDefaults _defaults;
    private readonly Dictionary<string, FileDefinition> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string A, string B, string Path)> _sockets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProcessInfo> _processes = new(StringComparer.Ordinal);
    private readonly List<Action> _deferred = [];
    private readonly Dictionary<string, (string Process, string Context, string Path)> _regions = new(StringComparer.Ordinal);

    private sealed record FileDefinition(string Name, string Path, FileType Type, long Size, int Owner, bool Dax, string At);

    public TopologyReader(string source, TopologyDefaults defaults)
    {
        _source = source;
        _values = new ValueReader(source);
        _defaults = defaults;
    }

    /// <summary>Reads <paramref name="root"/>, parsed from <paramref name="text"/>.</summary>
    public Topology Read(HoconNode root, string text)
    {
        Fields(root, "a topology", TopKeys);
        var name = root.Field("name") is { } n ? OneLine(n, "a topology name") : DefaultName();
        var description = root.Field("description") is { } d ? Text(d, "a description") : HeaderComment(text);
        string? policy = null;
        if (root.Field("policy") is { } p)
        {
            policy = _values.Scalar(p, "a policy name");
            if (!KnownNames.Policies.Contains(policy)) throw Error(p.Path, $"expected a policy ({string.Join(", ", KnownNames.Policies)}), got {p.Describe()}");
        }
        var horizon = _defaults.Horizon;
        if (root.Field("horizon") is { } h)
        {
            horizon = _values.Duration(h);
            if (horizon <= TimeSpan.Zero) throw Error(h.Path, $"expected a horizon longer than 0, got {h.Describe()}");
        }
        var options = ReadSysctl(root.Field("sysctl"));
        if (root.Field("files") is { } files) ReadFiles(files);

        var processesNode = root.Field("processes");
        var topLevel = processesNode is null ? [] : DeclareProcesses(processesNode);
        if (root.Field("sockets") is { } sockets) ReadSockets(sockets);
        var spawns = ImmutableArray.CreateBuilder<EmulatedKernel.Spawn>();
        foreach (var (processName, node) in topLevel) spawns.Add(ReadProcess(processName, node));
        foreach (var check in _deferred) check();

        var expectations = root.Field("expect") is { } expect ? ReadExpect(expect) : ImmutableDictionary<string, Expectation>.Empty;
        string? chaos = null;
        var chaosPlan = Chaos.ChaosPlan.None;
        if (root.Field("chaos") is { } c)
        {
            if (c.Kind != HoconNodeKind.Object) throw Error(c.Path, $"expected a chaos block {{ … }}, got {c.Describe()}");
            chaos = c.Hocon ?? "{}";
            var reader = new ChaosPlanReader(_values);
            chaosPlan = reader.Read(c);
            foreach (var (process, path) in reader.Processes) RequireProcess(process, path);
        }

        var scenario = new Scenario
        {
            Options = options,
            Files = [.. _files.Values.Select(f => new EmulatedKernel.CreateFile(f.Path, f.Type, f.Size, f.Owner, f.Dax))],
            Processes = spawns.ToImmutable(),
            Sockets = [.. _sockets.Select(s => new EmulatedKernel.ConnectSocket(s.Key, s.Value.A, s.Value.B))],
        };
        return new Topology
        {
            Name = name,
            Source = _source,
            Description = description,
            Scenario = scenario,
            Policy = policy,
            Horizon = horizon,
            Expectations = expectations,
            Chaos = chaos,
            ChaosPlan = chaosPlan,
            ProcessNames = [.. _processes.Keys],
        };
    }

    private string DefaultName()
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(_source);
        return string.IsNullOrWhiteSpace(name) ? "topology" : name;
    }

    /// <summary>The comment lines at the top of the file, without their markers: the description when the file sets none.</summary>
    private static string HeaderComment(string text)
    {
        var lines = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 && lines.Count == 0) continue;
            string content;
            if (line.StartsWith('#')) content = line[1..];
            else if (line.StartsWith("//", StringComparison.Ordinal)) content = line[2..];
            else break;
            lines.Add(content.Trim());
        }
        return string.Join("\n", lines).Trim();
    }

    private KernelOptions ReadSysctl(HoconNode? node)
    {
        var options = new KernelOptions { LeaseBreakTime = _defaults.LeaseBreakTime, LeasesEnable = _defaults.LeasesEnable };
        if (node is null) return options;
        Fields(node, "sysctl", SysctlKeys);
        if (node.Field("lease-break-time") is { } lbt) options = options with { LeaseBreakTime = _values.Duration(lbt) };
        if (node.Field("leases-enable") is { } enable) options = options with { LeasesEnable = _values.Bool(enable) };
        return options;
    }

    private void ReadFiles(HoconNode node)
    {
        Object(node, "files { name { path = /…, size = … } }");
        foreach (var (name, file) in node.Fields)
        {
            Key(file, name, "a file name");
            Fields(file, $"file {name}", FileKeys);
            var pathNode = file.Field("path") ?? throw Error(file.Path, $"file {name} needs a path (path = /mnt/pmem/{name})");
            var path = _values.Scalar(pathNode, "an absolute path such as /mnt/pmem/data");
            if (!path.StartsWith('/') || path.Any(char.IsControl)) throw Error(pathNode.Path, $"expected an absolute path such as /mnt/pmem/data, got {pathNode.Describe()}");
            if (_files.Values.FirstOrDefault(f => f.Path == path) is { } other)
                throw Error(pathNode.Path, $"path {path} is already the path of file {other.Name} ({other.At})");
            var type = file.Field("type") is { } t ? Vocabulary.FileTypeOf(_values, t) : _defaults.FileType;
            var size = file.Field("size") is { } s ? _values.Size(s) : _defaults.FileSize;
            var owner = file.Field("owner") is { } o ? _values.Int(o, "a uid (0 or more)", 0) : _defaults.FileOwner;
            var dax = file.Field("dax") is { } x ? _values.Bool(x) : _defaults.FileDax;
            _files.Add(name, new FileDefinition(name, path, type, size, owner, dax, file.Path));
            _knownPaths.Add(path);
        }
    }

    private List<(string Name, HoconNode Node)> DeclareProcesses(HoconNode node)
    {
        Object(node, "processes { name { program = [ … ] } }");
        var result = new List<(string, HoconNode)>();
        foreach (var (name, process) in node.Fields)
        {
            DeclareProcess(name, process.Path, null);
            result.Add((name, process));
        }
        return result;
    }

    /// <summary>Registers a process name (top-level or forked), refusing bad, reserved and duplicate names.</summary>
    private ProcessInfo DeclareProcess(string name, string path, ProcessInfo? forkedInHandlerOf)
    {
        if (!ValueReader.IsName(name) || name.Contains('.', StringComparison.Ordinal))
            throw Error(path, $"expected a process name (a letter or '_', then letters, digits, '_' or '-'), got {HoconNode.Quote(name)}");
        if (KnownNames.Policies.Contains(name))
            throw Error(path, $"process name `{name}` is a policy name; policy names key expect blocks, so processes must be named otherwise");
        if (KnownNames.ExpectKeys.Contains(name))
            throw Error(path, $"process name `{name}` is reserved (expect uses it); choose another name");
        if (_processes.TryGetValue(name, out var existing))
            throw Error(path, $"process `{name}` is already defined at {existing.Path}; process names must be unique");
        var info = new ProcessInfo(name, path, forkedInHandlerOf);
        _processes.Add(name, info);
        return info;
    }

    private void ReadSockets(HoconNode node)
    {
        Object(node, "sockets { name = [A, B] }");
        foreach (var (name, ends) in node.Fields)
        {
            Key(ends, name, "a socket name");
            var items = _values.List(ends, "two process names [A, B]");
            if (items.Length != 2) throw Error(ends.Path, $"expected two process names [A, B], got a list of {items.Length}");
            var a = ProcessEnd(items[0]);
            var b = ProcessEnd(items[1]);
            if (a == b) throw Error(items[1].Path, $"expected two different processes, got {a} twice");
            _sockets.Add(name, (a, b, ends.Path));
            _processes[a].Sockets.Add(name);
            _processes[b].Sockets.Add(name);
        }
    }

    private string ProcessEnd(HoconNode node)
    {
        var name = _values.Name(node, "a process name from `processes`");
        if (!_processes.ContainsKey(name))
            throw Error(node.Path, $"process `{name}` is not defined in `processes` (defined: {List(_processes.Keys)})");
        return name;
    }

    private EmulatedKernel.Spawn ReadProcess(string name, HoconNode node)
    {
        var info = _processes[name];
        Fields(node, $"process {name}", ProcessKeys);
        var uid = node.Field("uid") is { } u ? _values.Int(u, "a uid (0 or more)", 0) : _defaults.ProcessUid;
        foreach (var socket in info.Sockets) info.Bindings.Add(new NameBinding(socket, NameKind.Fd, ProcessInfo.Inherited, _sockets[socket].Path));
        var context = StepContext.Main(info, info.Sockets, []);
        var program = node.Field("program") is { } p ? ReadSteps(p, context) : [];

        var actions = ImmutableDictionary.CreateBuilder<int, SignalAction>();
        if (node.Field("handlers") is { } handlers)
        {
            Object(handlers, "handlers { SIGIO = { takes = 5ms, steps = [ … ] } }");
            foreach (var (key, handler) in handlers.Fields)
            {
                var signo = ValueReader.ParseSignal(key)
                    ?? throw Error(handler.Path, $"expected a signal name such as SIGIO as the key of a handler, got {HoconNode.Quote(key)}");
                Catchable(signo, handler.Path, "caught");
                if (actions.ContainsKey(signo)) throw Error(handler.Path, $"{Sig.Name(signo)} has two handlers");
                actions[signo] = new SignalAction.Handle(ReadHandler(handler, context.ForHandler()));
            }
        }
        if (node.Field("ignore") is { } ignore)
        {
            var signals = _values.Signals(ignore);
            for (var i = 0; i < signals.Length; i++)
            {
                var at = ignore.Items[i].Path;
                Catchable(signals[i], at, "ignored");
                if (actions.ContainsKey(signals[i])) throw Error(at, $"{Sig.Name(signals[i])} is both handled and ignored");
                actions[signals[i]] = SignalAction.Ignore;
            }
        }
        var blocked = ImmutableArray<int>.Empty;
        if (node.Field("block") is { } block)
        {
            blocked = _values.Signals(block);
            for (var i = 0; i < blocked.Length; i++) Catchable(blocked[i], block.Items[i].Path, "blocked");
        }
        return new EmulatedKernel.Spawn(name, program, uid, actions.Count == 0 ? null : actions.ToImmutable(), ExitAtEnd: true, Blocked: blocked);
    }

    private void Catchable(int signo, string path, string what)
    {
        if (signo is Sig.SIGKILL or Sig.SIGSTOP) throw Error(path, $"{Sig.Name(signo)} cannot be {what}; expected another signal");
    }

    /// <summary>A signal handler: <c>{ takes = 5ms, restart = false, siginfo = true, steps = [ … ] }</c>.</summary>
    private SignalHandler ReadHandler(HoconNode node, StepContext context)
    {
        Fields(node, "a signal handler", HandlerKeys);
        var takes = node.Field("takes") is { } t ? _values.Duration(t) : _defaults.HandlerTakes;
        var restart = node.Field("restart") is { } r ? _values.Bool(r) : _defaults.HandlerRestart;
        var siginfo = node.Field("siginfo") is { } s ? _values.Bool(s) : _defaults.HandlerSigInfo;
        var steps = node.Field("steps") is { } st ? ReadSteps(st, context) : [];
        return new SignalHandler(takes, steps, restart, siginfo);
    }

    // ---- helpers ----

    private TopologyException Error(string path, string problem) => _values.Error(path, problem);

    private void Object(HoconNode node, string expected)
    {
        if (node.Kind != HoconNodeKind.Object) throw Error(node.Path, $"expected {expected}, got {node.Describe()}");
    }

    /// <summary>Checks that <paramref name="node"/> is an object whose keys are all in <paramref name="allowed"/>.</summary>
    private void Fields(HoconNode node, string what, string[] allowed)
    {
        Object(node, $"{what} {{ … }}");
        foreach (var (key, child) in node.Fields)
            if (!allowed.Contains(key))
                throw Error(child.Path, $"unknown key `{key}` in {what}; expected {(allowed.Length == 0 ? "no other key" : List(allowed))}");
    }

    /// <summary>Checks that the key of <paramref name="node"/> is a valid name.</summary>
    private void Key(HoconNode node, string key, string what)
    {
        if (!ValueReader.IsName(key))
            throw Error(node.Path, $"expected {what} as the key (a letter or '_', then letters, digits, '_' or '-'), got {HoconNode.Quote(key)}");
    }

    private string OneLine(HoconNode node, string what)
    {
        var text = _values.Scalar(node, what);
        if (text.Any(char.IsControl)) throw Error(node.Path, $"expected {what} on one line, got {node.Describe()}");
        return text;
    }

    private string Text(HoconNode node, string what) => _values.Scalar(node, what);

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
