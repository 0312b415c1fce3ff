using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Processes;

namespace LeaseActors.Topologies.Internal;

internal sealed partial class TopologyReader
{
    /// <summary>Each step kind and the keys it takes besides its own and <c>label</c>.</summary>
    private static readonly Dictionary<string, string[]> StepKeys = new(StringComparer.Ordinal)
    {
        ["open"] = ["flags", "as"],
        ["close"] = [],
        ["dup"] = ["as"],
        ["fork"] = ["program"],
        ["thread"] = ["program"],
        ["exit-thread"] = [],
        ["execve"] = [],
        ["exit"] = [],
        ["kill"] = ["signal"],
        ["setpgid"] = [],
        ["setuid"] = [],
        ["setfsuid"] = [],
        ["cap-lease"] = [],
        ["fcntl"] = ["fd", "arg", "owner", "type", "signal", "cloexec"],
        ["stat"] = [],
        ["truncate"] = ["length"],
        ["ftruncate"] = ["length"],
        ["write"] = ["bytes"],
        ["unlink"] = [],
        ["rename"] = ["to"],
        ["link"] = ["to"],
        ["chmod"] = ["mode"],
        ["chown"] = ["uid"],
        ["utimensat"] = [],
        ["mmap"] = ["shared", "as"],
        ["munmap"] = [],
        ["socketpair"] = ["as"],
        ["sendmsg"] = ["fds"],
        ["recvmsg"] = ["fds"],
        ["sigaction"] = ["action", "handler"],
        ["sigprocmask"] = ["signals"],
        ["sleep"] = [],
        ["wait-for"] = [],
        ["fault"] = [],
        ["verbs-open"] = ["as"],
        ["layout-lease"] = [],
        ["layout-unlock"] = [],
        ["reg-mr"] = ["context", "as", "odp", "dma-rate", "offset", "length"],
        ["dereg-mr"] = ["context"],
        ["punch-hole"] = ["offset", "length"],
    };

    /// <summary>The keys each fcntl command takes besides <c>fcntl</c>, <c>fd</c> and <c>label</c>.</summary>
    private static readonly Dictionary<string, string[]> FcntlKeys = new(StringComparer.Ordinal)
    {
        ["F_SETLEASE"] = ["arg"],
        ["F_GETLEASE"] = [],
        ["F_SETOWN"] = ["owner"],
        ["F_SETOWN_EX"] = ["type", "owner"],
        ["F_GETOWN"] = [],
        ["F_GETOWN_EX"] = [],
        ["F_SETSIG"] = ["signal"],
        ["F_GETSIG"] = [],
        ["F_SETFD"] = ["cloexec"],
    };

    private static string StepKinds => string.Join(", ", StepKeys.Keys.Append("label"));

    /// <summary>A list of steps. Steps after one that does not return (exit, exit-thread, execve) are refused: they would never run.</summary>
    private ImmutableArray<Step> ReadSteps(HoconNode node, StepContext context)
    {
        var items = _values.List(node, "a list of steps [ { open = data, as = f }, … ]");
        var steps = ImmutableArray.CreateBuilder<Step>(items.Length);
        string? noReturn = null;
        foreach (var item in items)
        {
            if (noReturn is not null)
                throw Error(item.Path, $"this step never runs: the {noReturn} step before it does not return" + (noReturn == "execve" ? "; put it in the execve program" : ""));
            var step = ReadStep(item, context);
            steps.Add(step);
            noReturn = step is CallStep { Call: var call } ? call switch { Exit => "exit", ExitThread => "exit-thread", Execve => "execve", _ => null } : null;
        }
        return steps.MoveToImmutable();
    }

    private Step ReadStep(HoconNode node, StepContext context)
    {
        if (node.Kind != HoconNodeKind.Object)
            throw Error(node.Path, $"expected a step such as {{ open = data, as = f }}, got {node.Describe()}");
        var kinds = node.Fields.Select(f => f.Key).Where(StepKeys.ContainsKey).ToList();
        var labelNode = node.Field("label");
        if (kinds.Count == 0)
        {
            if (labelNode is not null && node.Fields.Length == 1) return new LabelStep(DefineLabel(labelNode, context));
            var keys = string.Join(", ", node.Fields.Select(f => f.Key).Where(k => k != "label"));
            throw Error(node.Path, keys.Length == 0
                ? $"expected a step kind ({StepKinds}), got an empty step"
                : $"expected a step kind ({StepKinds}), got {keys}");
        }
        if (kinds.Count > 1)
            throw Error(node.Path, $"a step makes one call, this one names {kinds[0]} and {kinds[1]}; separate steps with a comma or a new line");
        var kind = kinds[0];
        var allowed = StepKeys[kind];
        foreach (var (key, child) in node.Fields)
            if (key != kind && key != "label" && !allowed.Contains(key))
                throw Error(child.Path, $"unknown key `{key}` in {Article(kind)} {kind} step; expected {(allowed.Length == 0 ? "only label" : string.Join(", ", allowed.Append("label")))}");
        var label = labelNode is null ? null : DefineLabel(labelNode, context);
        var value = node.Field(kind)!;
        Step step = kind switch
        {
            "sleep" => new SleepStep(_values.Duration(value)),
            "wait-for" => ReadWaitFor(value, context),
            "fault" => new FaultStep(OneLine(value, "a fault message")),
            _ => new CallStep(ReadCall(kind, value, node, context)),
        };
        return label is null ? step : step with { Label = label };
    }

    private Syscall ReadCall(string kind, HoconNode value, HoconNode step, StepContext context)
    {
        switch (kind)
        {
            case "open":
            {
                var flags = step.Field("flags") is { } f ? Vocabulary.OpenFlagsOf(_values, f) : _defaults.OpenFlags;
                var path = PathOf(value, create: (flags & OpenFlags.O_CREAT) != 0);
                return new Open(path, flags, BindOptional(step, context, NameKind.Fd));
            }
            case "close":
                return new Close(FdOf(value, context));
            case "dup":
                return new Dup(FdOf(value, context), BindOptional(step, context, NameKind.Fd));
            case "fork":
            {
                var childName = _values.Name(value, "the child's process name");
                var child = DeclareProcess(childName, value.Path, context.InHandler ? context.Process : null);
                foreach (var socket in context.Process.Sockets) child.Sockets.Add(socket);
                var inherited = context.InHandler ? [] : context.Fds;
                foreach (var name in inherited) child.Bindings.Add(new NameBinding(name, NameKind.Fd, ProcessInfo.Inherited, value.Path));
                foreach (var name in context.Mappings) child.Bindings.Add(new NameBinding(name, NameKind.Mapping, ProcessInfo.Inherited, value.Path));
                var childContext = StepContext.Main(child, inherited, context.InHandler ? [] : context.Mappings);
                var program = step.Field("program") is { } p ? ReadSteps(p, childContext) : [];
                return new Fork(childName, program);
            }
            case "thread":
            {
                var thread = _values.Name(value, "a thread name");
                if (context.Process.Threads.TryGetValue(thread, out var at))
                    throw Error(value.Path, $"process {context.Process.Name} already has a thread `{thread}` ({at}); thread names must be unique in a process");
                context.Process.Threads.Add(thread, value.Path);
                var program = step.Field("program") is { } p ? ReadSteps(p, context.ForThread(thread)) : [];
                return new SpawnThread(thread, program);
            }
            case "exit-thread":
                Placeholder(value, "exit-thread");
                return new ExitThread();
            case "execve":
                return new Execve(ReadSteps(value, context));
            case "exit":
                return new Exit(_values.Int(value, "an exit status such as 0"));
            case "kill":
            {
                var target = TargetOf(value, "a process name, or -Name for its process group", allowZero: false, allowThread: false)!.Value;
                var signal = step.Field("signal") ?? throw Missing(step, "kill", "signal", "signal = SIGTERM");
                return new Kill(target, _values.Signal(signal));
            }
            case "setpgid":
                return new Setpgid(TargetOf(value, "0 (lead a new group) or the name of the process whose group to join", allowZero: true, allowThread: false, allowGroup: false));
            case "setuid":
                return new Setuid(_values.Int(value, "a uid (0 or more)", 0));
            case "setfsuid":
                return new Setfsuid(_values.Int(value, "a uid (0 or more)", 0));
            case "cap-lease":
                return new SetCapLease(_values.Bool(value));
            case "fcntl":
                return ReadFcntl(value, step, context);
            case "stat":
                return new Stat(PathOf(value, create: false));
            case "truncate":
                return new Truncate(PathOf(value, create: false), step.Field("length") is { } l ? _values.Size(l) : _defaults.TruncateLength);
            case "ftruncate":
                return new Ftruncate(FdOf(value, context), step.Field("length") is { } fl ? _values.Size(fl) : _defaults.FtruncateLength);
            case "write":
                return new Write(FdOf(value, context), step.Field("bytes") is { } bytes ? _values.Size(bytes) : _defaults.WriteBytes);
            case "unlink":
                return new Unlink(PathOf(value, create: false));
            case "rename":
            case "link":
            {
                var from = PathOf(value, create: false);
                var toNode = step.Field("to") ?? throw Missing(step, kind, "to", "to = /mnt/pmem/new-name");
                var to = PathOf(toNode, create: true);
                return kind == "rename" ? new Rename(from, to) : new Link(from, to);
            }
            case "chmod":
            {
                var path = PathOf(value, create: false);
                var modeNode = step.Field("mode") ?? throw Missing(step, "chmod", "mode", "mode = 0644");
                var mode = _values.Scalar(modeNode, "an octal mode such as 0644");
                if (mode.Length > 7 || !mode.All(c => c is >= '0' and <= '7'))
                    throw Error(modeNode.Path, $"expected an octal mode such as 0644, got {modeNode.Describe()}");
                return new Chmod(path, Convert.ToInt32(mode, 8));
            }
            case "chown":
            {
                var path = PathOf(value, create: false);
                var uid = step.Field("uid") ?? throw Missing(step, "chown", "uid", "uid = 1000");
                return new Chown(path, _values.Int(uid, "a uid (0 or more)", 0));
            }
            case "utimensat":
                return new Utimensat(PathOf(value, create: false));
            case "mmap":
            {
                var fd = FdOf(value, context);
                var shared = step.Field("shared") is { } s ? _values.Bool(s) : _defaults.MmapShared;
                return new Mmap(fd, shared, BindOptional(step, context, NameKind.Mapping));
            }
            case "munmap":
                return new Munmap(Refer(value, context, NameKind.Mapping));
            case "socketpair":
            {
                Placeholder(value, "socketpair");
                var asNode = step.Field("as") ?? throw Missing(step, "socketpair", "as", "as = [x, y]");
                var names = _values.List(asNode, "two fd names [x, y]");
                if (names.Length != 2) throw Error(asNode.Path, $"expected two fd names [x, y], got a list of {names.Length}");
                var a = _values.Name(names[0], "an fd name");
                var b = _values.Name(names[1], "an fd name");
                if (a == b) throw Error(names[1].Path, $"expected two different names, got {a} twice");
                Bind(a, names[0].Path, context, NameKind.Fd);
                Bind(b, names[1].Path, context, NameKind.Fd);
                return new SocketPair(a, b);
            }
            case "sendmsg":
            {
                var socket = FdOf(value, context);
                var fds = ImmutableArray.CreateBuilder<FdRef>();
                if (step.Field("fds") is { } list)
                    foreach (var item in _values.List(list, "a list of fd names [f, g]"))
                        fds.Add(FdOf(item, context));
                return new SendMsg(socket, fds.ToImmutable());
            }
            case "recvmsg":
            {
                var socket = FdOf(value, context);
                var names = ImmutableArray.CreateBuilder<string>();
                if (step.Field("fds") is { } list)
                {
                    foreach (var item in _values.List(list, "a list of names for the fds received [g, h]"))
                    {
                        var name = _values.Name(item, "an fd name");
                        if (names.Contains(name)) throw Error(item.Path, $"fd name {name} is given twice");
                        names.Add(name);
                    }
                    for (var i = 0; i < names.Count; i++) Bind(names[i], list.Items[i].Path, context, NameKind.Fd);
                }
                return new RecvMsg(socket, names.ToImmutable());
            }
            case "sigaction":
            {
                var signo = _values.Signal(value);
                var action = step.Field("action");
                var handler = step.Field("handler");
                if ((action is null) == (handler is null))
                    throw Error(step.Path, "a sigaction step needs either action = default|ignore or handler = { takes = …, steps = [ … ] }");
                if (handler is not null) return new Sigaction(signo, new SignalAction.Handle(ReadHandler(handler, context.ForHandler())));
                return _values.Scalar(action!, "default or ignore") switch
                {
                    "default" => new Sigaction(signo, SignalAction.Default),
                    "ignore" => new Sigaction(signo, SignalAction.Ignore),
                    _ => throw Error(action!.Path, $"expected default or ignore (or a handler = {{ … }} instead of action), got {action!.Describe()}"),
                };
            }
            case "sigprocmask":
            {
                var how = Vocabulary.MaskHowOf(_values, value);
                var signals = step.Field("signals") ?? throw Missing(step, "sigprocmask", "signals", "signals = [SIGIO]");
                return new Sigprocmask(how, _values.Signals(signals));
            }
            case "verbs-open":
            {
                Placeholder(value, "verbs-open");
                var asNode = step.Field("as") ?? throw Missing(step, "verbs-open", "as", "as = ctx");
                return new OpenVerbsContext(Bind(_values.Name(asNode, "an fd name"), asNode.Path, context, NameKind.Fd));
            }
            case "layout-lease":
                return new TakeLayoutLease(FdOf(value, context));
            case "layout-unlock":
                return new ReleaseLayoutLease(FdOf(value, context));
            case "reg-mr":
                return ReadRegisterRegion(value, step, context);
            case "dereg-mr":
            {
                var region = _values.Name(value, "a region name (given by a reg-mr step's `as`)");
                FdRef verbs;
                if (step.Field("context") is { } c)
                {
                    verbs = FdOf(c, context);
                }
                else
                {
                    if (!_regions.TryGetValue(region, out var registered) || registered.Process != context.Process.Name)
                        throw Error(step.Path, $"a dereg-mr step needs `context` (context = ctx) unless this process registered region `{region}` in an earlier step");
                    verbs = FdRef.Named(registered.Context);
                }
                _deferred.Add(() =>
                {
                    if (!_regions.ContainsKey(region))
                        throw Error(value.Path, $"no reg-mr step registers a region named `{region}` (regions: {List(_regions.Keys)})");
                });
                return new DeregisterRegion(verbs, region);
            }
            case "punch-hole":
            {
                var fd = FdOf(value, context);
                var offset = step.Field("offset") is { } o ? _values.Size(o) : 0;
                var lengthNode = step.Field("length") ?? throw Missing(step, "punch-hole", "length", "length = 64KiB");
                var length = _values.Size(lengthNode);
                if (length <= 0) throw Error(lengthNode.Path, $"expected a length above 0, got {lengthNode.Describe()}");
                return new PunchHole(fd, offset, length);
            }
            default:
                throw new InvalidOperationException($"Step kind {kind} is listed but not read.");
        }
    }

    private RegisterRegion ReadRegisterRegion(HoconNode value, HoconNode step, StepContext context)
    {
        var mapping = Refer(value, context, NameKind.Mapping);
        var contextNode = step.Field("context") ?? throw Missing(step, "reg-mr", "context", "context = ctx");
        var verbs = _values.Name(contextNode, "the fd name of a verbs context (from verbs-open)");
        FdOf(contextNode, context);
        var asNode = step.Field("as") ?? throw Missing(step, "reg-mr", "as", "as = mr");
        var region = _values.Name(asNode, "a region name");
        if (_regions.TryGetValue(region, out var other))
            throw Error(asNode.Path, $"region `{region}` is already registered by {other.Path}; region names must be unique in a topology");
        _regions[region] = (context.Process.Name, verbs, asNode.Path);
        var odp = step.Field("odp") is { } o && _values.Bool(o);
        var rate = step.Field("dma-rate") is { } r ? _values.Int(r, "DMA writes per second (0 or more)", 0) : 1000;
        var offset = step.Field("offset") is { } off ? _values.Size(off) : 0;
        long? length = step.Field("length") is { } l ? _values.Size(l) : null;
        return new RegisterRegion(FdRef.Named(verbs), mapping, region, odp, rate, offset, length);
    }

    private Syscall ReadFcntl(HoconNode value, HoconNode step, StepContext context)
    {
        var command = _values.Scalar(value, "an fcntl command");
        if (!FcntlKeys.TryGetValue(command, out var keys))
            throw Error(value.Path, $"expected an fcntl command ({string.Join(", ", FcntlKeys.Keys)}), got {value.Describe()}");
        foreach (var (key, child) in step.Fields)
            if (key is not ("fcntl" or "fd" or "label") && !keys.Contains(key))
                throw Error(child.Path, $"unknown key `{key}` for fcntl {command}; expected {string.Join(", ", keys.Prepend("fd").Append("label"))}");
        var fdNode = step.Field("fd") ?? throw Missing(step, "fcntl", "fd", "fd = f");
        var fd = FdOf(fdNode, context);
        HoconNode Required(string key, string example) => step.Field(key) ?? throw Missing(step, "fcntl " + command, key, example);
        return command switch
        {
            "F_SETLEASE" => new SetLease(fd, Vocabulary.LeaseArgOf(_values, Required("arg", "arg = F_RDLCK"))),
            "F_GETLEASE" => new GetLease(fd),
            "F_SETOWN" => new SetOwn(fd, TargetOf(Required("owner", "owner = B"), "a process name, -Name for its process group, or 0 for nobody", allowZero: true, allowThread: false)),
            "F_SETOWN_EX" => SetOwnEx(fd, step, Required),
            "F_GETOWN" => new GetOwn(fd),
            "F_GETOWN_EX" => new GetOwnEx(fd),
            "F_SETSIG" => new SetSig(fd, SignalOrZero(Required("signal", "signal = SIGRTMIN+1"))),
            "F_GETSIG" => new GetSig(fd),
            _ => new SetCloexec(fd, _values.Bool(Required("cloexec", "cloexec = true"))),
        };
    }

    private SetOwnEx SetOwnEx(FdRef fd, HoconNode step, Func<string, string, HoconNode> required)
    {
        var kind = Vocabulary.OwnerKindOf(_values, required("type", "type = F_OWNER_PID"));
        var ownerNode = required("owner", "owner = B");
        var target = TargetOf(ownerNode, kind switch
        {
            OwnerKind.F_OWNER_TID => "a process name (its main thread), Process.thread, or 0",
            OwnerKind.F_OWNER_PGRP => "a process name (its group) or 0",
            _ => "a process name or 0",
        }, allowZero: true, allowThread: kind == OwnerKind.F_OWNER_TID, allowGroup: kind == OwnerKind.F_OWNER_PGRP);
        return new SetOwnEx(fd, kind, target ?? ProcessRef.Of(0));
    }

    private int SignalOrZero(HoconNode node) => node.Kind == HoconNodeKind.Scalar && node.Text == "0" ? 0 : _values.Signal(node);

    /// <summary>A step value that stands for "no argument": <c>true</c> or <c>{}</c>.</summary>
    private void Placeholder(HoconNode value, string kind)
    {
        var ok = (value.Kind == HoconNodeKind.Object && value.Fields.Length == 0)
            || (value.Kind == HoconNodeKind.Scalar && value.Text.ToUpperInvariant() is "TRUE" or "YES" or "ON");
        if (!ok) throw Error(value.Path, $"expected true ({kind} takes no argument: {{ {kind} = true }}), got {value.Describe()}");
    }

    private WaitForStep ReadWaitFor(HoconNode value, StepContext context)
    {
        if (context.InHandler)
            throw Error(value.Path, "wait-for is not supported in a handler: a handler cannot wait for another process; wait in the program instead");
        var text = _values.Scalar(value, "Process.label or Process.exited");
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1 || !ValueReader.IsName(text[..dot]) || !ValueReader.IsName(text[(dot + 1)..]))
            throw Error(value.Path, $"expected Process.label or Process.exited, got {value.Describe()}");
        var process = text[..dot];
        var mark = text[(dot + 1)..];
        _deferred.Add(() =>
        {
            var info = RequireProcess(process, value.Path);
            if (mark != "exited" && !info.Labels.ContainsKey(mark))
                throw Error(value.Path, $"process {process} has no step labelled `{mark}` (its labels: {List(info.Labels.Keys.Append("exited"))})");
        });
        return new WaitForStep(process, mark);
    }

    /// <summary>Defines the label of a step of <paramref name="context"/>'s process.</summary>
    private string DefineLabel(HoconNode node, StepContext context)
    {
        var label = _values.Name(node, "a label");
        if (KnownNames.ReservedLabels.Contains(label))
            throw Error(node.Path, $"label `{label}` is reserved ({(label == "exited" ? "wait-for A.exited means the process exited" : "expect uses it for the signals a process got")}); choose another label");
        if (context.Process.Labels.TryGetValue(label, out var at))
            throw Error(node.Path, $"process {context.Process.Name} already has a step labelled `{label}` ({at}); labels must be unique in a process");
        context.Process.Labels.Add(label, node.Path);
        return label;
    }

    /// <summary>A process reference: Name, -Name (its group), 0 (none), or Process.thread; names are checked once all processes are known.</summary>
    private ProcessRef? TargetOf(HoconNode node, string expected, bool allowZero, bool allowThread, bool allowGroup = true)
    {
        var text = _values.Scalar(node, expected);
        if (text == "0" && allowZero) return null;
        var group = allowGroup && text.StartsWith('-');
        var name = group ? text[1..] : text;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (allowThread && dot > 0 && ValueReader.IsName(name[..dot]) && ValueReader.IsName(name[(dot + 1)..]))
        {
            var process = name[..dot];
            var thread = name[(dot + 1)..];
            _deferred.Add(() =>
            {
                var info = RequireProcess(process, node.Path);
                if (!info.Threads.ContainsKey(thread))
                    throw Error(node.Path, $"process {process} has no thread `{thread}` (its threads: {List(info.Threads.Keys)})");
            });
            return ProcessRef.Named(name);
        }
        if (!ValueReader.IsName(name)) throw Error(node.Path, $"expected {expected}, got {node.Describe()}");
        _deferred.Add(() => RequireProcess(name, node.Path));
        return group ? ProcessRef.GroupOf(name) : ProcessRef.Named(name);
    }

    private ProcessInfo RequireProcess(string name, string path) =>
        _processes.TryGetValue(name, out var info)
            ? info
            : throw Error(path, $"process `{name}` is not defined (processes: {List(_processes.Keys)})");

    /// <summary>A file argument: a name from <c>files</c>, or an absolute path that is defined or created somewhere in the topology (or here, with <paramref name="create"/>).</summary>
    private string PathOf(HoconNode node, bool create)
    {
        var text = _values.Scalar(node, "a file name from `files` or an absolute path");
        if (_files.TryGetValue(text, out var file)) return file.Path;
        if (text.StartsWith('/') && !text.Any(char.IsControl))
        {
            if (create)
            {
                _knownPaths.Add(text);
            }
            else
            {
                _deferred.Add(() =>
                {
                    if (!_knownPaths.Contains(text))
                        throw Error(node.Path, $"no file has the path {text}: expected a file name from `files`, a path defined there, or a path created by an open with O_CREAT, a rename or a link");
                });
            }
            return text;
        }
        if (ValueReader.IsName(text))
            throw Error(node.Path, $"file `{text}` is not defined in `files` (files: {List(_files.Keys)})" + (create ? "" : "; an absolute path needs O_CREAT to create it"));
        throw Error(node.Path, $"expected a file name from `files` or an absolute path, got {node.Describe()}");
    }

    private TopologyException Missing(HoconNode step, string kind, string key, string example) =>
        Error(step.Path, $"{Article(kind)} {kind} step needs `{key}` ({example})");

    /// <summary>"an" before a step kind read with a vowel sound (an open, an fcntl, an mmap), else "a".</summary>
    private static string Article(string kind) =>
        kind[0] is 'a' or 'e' or 'i' or 'o' or 'u' || kind.StartsWith("fcntl", StringComparison.Ordinal) || kind.StartsWith("mmap", StringComparison.Ordinal) ? "an" : "a";

    private string? BindOptional(HoconNode step, StepContext context, NameKind kind) =>
        step.Field("as") is { } node ? Bind(_values.Name(node, kind == NameKind.Fd ? "an fd name" : "a mapping name"), node.Path, context, kind) : null;

    /// <summary>Binds a name for the steps that follow in this thread (and for other threads and handlers of the process).</summary>
    private string Bind(string name, string path, StepContext context, NameKind kind)
    {
        if (kind == NameKind.Fd && context.Process.Sockets.Contains(name))
            throw Error(path, $"`{name}` already names socket {name} of process {context.Process.Name}; choose another fd name");
        context.Names(kind).Add(name);
        context.Process.Bindings.Add(new NameBinding(name, kind, context.Thread, path));
        return name;
    }

    private FdRef FdOf(HoconNode node, StepContext context) => FdRef.Named(Refer(node, context, NameKind.Fd));

    /// <summary>
    /// A use of an fd or mapping name. In a program it must have been bound by an earlier step of the same thread (or
    /// inherited), or by another thread or a handler of the process; in a handler, by any step of the process.
    /// </summary>
    private string Refer(HoconNode node, StepContext context, NameKind kind)
    {
        var what = kind == NameKind.Fd ? "an fd name" : "a mapping name";
        var text = _values.Scalar(node, what);
        if (!ValueReader.IsName(text))
        {
            throw Error(node.Path, int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? $"expected {what}, got the number {text}: topologies name fds (as = f) and never use fd numbers"
                : $"expected {what}, got {node.Describe()}");
        }
        if (!context.InHandler && context.Names(kind).Contains(text)) return text;
        var process = context.Process;
        var thread = context.Thread;
        var inHandler = context.InHandler;
        _deferred.Add(() =>
        {
            bool Matches(NameBinding b) => b.Name == text && b.Kind == kind;
            if (process.Bindings.Any(b => Matches(b) && (inHandler || b.Thread != thread))) return;
            if (process.ForkedInHandlerOf is { } parent && parent.Bindings.Any(Matches)) return;
            if (process.Bindings.FirstOrDefault(b => Matches(b) && b.Thread == thread) is { Path: not null } later)
                throw Error(node.Path, $"{(kind == NameKind.Fd ? "fd" : "mapping")} `{text}` is used before the step that binds it ({later.Path})");
            if (kind == NameKind.Fd && _sockets.TryGetValue(text, out var socket))
                throw Error(node.Path, $"process {process.Name} does not hold socket `{text}`: only {socket.A} and {socket.B} do ({socket.Path}), and processes they pass it to");
            throw Error(node.Path, kind == NameKind.Fd
                ? $"fd `{text}` is not defined in process {process.Name}: expected a name bound by an earlier open/dup `as`, recvmsg `fds`, socketpair `as`, a socket of {process.Name}, or inherited by fork"
                : $"mapping `{text}` is not defined in process {process.Name}: expected a name bound by an earlier mmap `as`");
        });
        return text;
    }
}
