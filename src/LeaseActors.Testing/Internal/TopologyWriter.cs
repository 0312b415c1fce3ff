using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LeaseActors.Chaos;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Signals;

namespace LeaseActors.Testing.Internal;

/// <summary>
/// Writes a scenario as a topology file (docs/topology-format.md), so that a failing seed found in a test can be run
/// again with <c>leaseactors replay FILE --seed S</c>, drawn with <c>leaseactors trace</c>, or explored. Steps that the
/// format cannot say (an fd by number, a sysctl write) throw <see cref="NotSupportedException"/> naming the step.
/// </summary>
internal static class TopologyWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Write(string name, string? description, Scenario scenario, string? policy, TimeSpan horizon, ChaosPlan chaos)
    {
        var sb = new StringBuilder();
        if (description is not null)
            foreach (var line in description.Split('\n')) sb.Append("# ").Append(line.TrimEnd()).Append('\n');
        sb.Append("name = ").Append(Quote(name)).Append('\n');
        if (policy is not null) sb.Append("policy = ").Append(policy).Append('\n');
        sb.Append("horizon = ").Append(Duration(horizon)).Append('\n');
        var o = scenario.Options;
        sb.Append("sysctl { lease-break-time = ").Append(Duration(o.LeaseBreakTime)).Append(", leases-enable = ").Append(o.LeasesEnable ? "true" : "false").Append(" }\n");
        if (!scenario.Files.IsEmpty)
        {
            sb.Append("files {\n");
            for (var i = 0; i < scenario.Files.Length; i++)
            {
                var f = scenario.Files[i];
                sb.Append(Inv, $"  file{i} {{ path = {Quote(f.Path)}, size = {f.Size}, type = {f.Type.ToString().ToLowerInvariant()}, owner = {f.OwnerUid}, dax = {(f.Dax ? "true" : "false")} }}\n");
            }
            sb.Append("}\n");
        }
        if (!scenario.Sockets.IsEmpty)
        {
            sb.Append("sockets {\n");
            foreach (var s in scenario.Sockets) sb.Append(Inv, $"  {s.Name} = [{s.ProcessA}, {s.ProcessB}]\n");
            sb.Append("}\n");
        }
        sb.Append("processes {\n");
        foreach (var p in scenario.Processes)
        {
            if (!p.ExitAtEnd) throw new NotSupportedException($"process {p.Name} does not exit at the end of its program (ExitAtEnd = false); a topology's processes always do");
            sb.Append(Inv, $"  {p.Name} {{\n    uid = {p.Uid}\n    program = [\n");
            foreach (var step in p.Program) sb.Append("      ").Append(Step(step)).Append('\n');
            sb.Append("    ]\n");
            var ignored = new List<string>();
            foreach (var (signo, action) in (p.Actions ?? ImmutableDictionary<int, SignalAction>.Empty).OrderBy(a => a.Key))
            {
                switch (action)
                {
                    case SignalAction.Handle h: sb.Append(Inv, $"    handlers.{Signal(signo)} = {Handler(h.Handler)}\n"); break;
                    case SignalAction.IgnoreAction: ignored.Add(Signal(signo)); break;
                }
            }
            if (ignored.Count > 0) sb.Append("    ignore = [").Append(string.Join(", ", ignored)).Append("]\n");
            if (!p.Blocked.IsDefaultOrEmpty) sb.Append("    block = [").Append(string.Join(", ", p.Blocked.Select(Signal))).Append("]\n");
            sb.Append("  }\n");
        }
        sb.Append("}\n");
        if (!chaos.IsEmpty) sb.Append(Chaos(chaos));
        return sb.ToString();
    }

    private static string Handler(SignalHandler h) =>
        $"{{ takes = {Duration(h.Takes)}, restart = {Bool(h.Restart)}, siginfo = {Bool(h.SigInfo)}, steps = [ {string.Join(", ", h.Steps.Select(Step))} ] }}";

    private static string Step(Step step)
    {
        var body = step switch
        {
            CallStep c => Call(c.Call),
            SleepStep s => "sleep = " + Duration(s.Duration),
            LabelStep l => "label = " + l.Name,
            WaitForStep w => $"wait-for = {w.Process}.{w.Mark}",
            FaultStep f => "fault = " + Quote(f.Message),
            _ => throw new NotSupportedException($"step {step} has no topology form"),
        };
        return step.Label is { } label && step is not LabelStep ? $"{{ {body}, label = {label} }}" : $"{{ {body} }}";
    }

    private static string Call(Syscall call) => call switch
    {
        Open o => $"open = {Quote(o.Path)}, flags = [{Flags(o.Flags)}]{As(o.As)}",
        Close c => $"close = {Fd(c.Fd)}",
        Dup d => $"dup = {Fd(d.Fd)}{As(d.As)}",
        Fork f => $"fork = {f.ChildName}, program = [ {string.Join(", ", f.ChildProgram.Select(Step))} ]",
        SpawnThread t => $"thread = {t.ThreadName}, program = [ {string.Join(", ", t.Program.Select(Step))} ]",
        ExitThread => "exit-thread = true",
        Execve e => $"execve = [ {string.Join(", ", e.Program.Select(Step))} ]",
        Exit e => "exit = " + e.Status.ToString(Inv),
        Kill k => $"kill = {Process(k.Target)}, signal = {Signal(k.Signo)}",
        Setpgid s => "setpgid = " + (s.Leader is { } l ? Process(l) : "0"),
        Setuid s => "setuid = " + s.Uid.ToString(Inv),
        Setfsuid s => "setfsuid = " + s.Uid.ToString(Inv),
        SetCapLease c => "cap-lease = " + Bool(c.Granted),
        SetLease s => $"fcntl = F_SETLEASE, fd = {Fd(s.Fd)}, arg = {s.Arg switch { 0 => "F_RDLCK", 1 => "F_WRLCK", 2 => "F_UNLCK", var n => n.ToString(Inv) }}",
        GetLease g => $"fcntl = F_GETLEASE, fd = {Fd(g.Fd)}",
        SetOwn s => $"fcntl = F_SETOWN, fd = {Fd(s.Fd)}, owner = {(s.Target is { } t ? Process(t) : "0")}",
        SetOwnEx s => $"fcntl = F_SETOWN_EX, fd = {Fd(s.Fd)}, type = {s.Kind}, owner = {Process(s.Target)}",
        GetOwn g => $"fcntl = F_GETOWN, fd = {Fd(g.Fd)}",
        GetOwnEx g => $"fcntl = F_GETOWN_EX, fd = {Fd(g.Fd)}",
        SetSig s => $"fcntl = F_SETSIG, fd = {Fd(s.Fd)}, signal = {(s.Signo == 0 ? "0" : Signal(s.Signo))}",
        GetSig g => $"fcntl = F_GETSIG, fd = {Fd(g.Fd)}",
        SetCloexec s => $"fcntl = F_SETFD, fd = {Fd(s.Fd)}, cloexec = {Bool(s.Cloexec)}",
        Stat s => "stat = " + Quote(s.Path),
        Truncate t => $"truncate = {Quote(t.Path)}, length = {t.Length.ToString(Inv)}",
        Ftruncate t => $"ftruncate = {Fd(t.Fd)}, length = {t.Length.ToString(Inv)}",
        Write w => $"write = {Fd(w.Fd)}, bytes = {w.Bytes.ToString(Inv)}",
        Unlink u => "unlink = " + Quote(u.Path),
        Rename r => $"rename = {Quote(r.From)}, to = {Quote(r.To)}",
        Link l => $"link = {Quote(l.Existing)}, to = {Quote(l.NewPath)}",
        Chmod c => $"chmod = {Quote(c.Path)}, mode = {Convert.ToString(c.Mode, 8)}",
        Chown c => $"chown = {Quote(c.Path)}, uid = {c.Uid.ToString(Inv)}",
        Utimensat u => "utimensat = " + Quote(u.Path),
        Mmap m => $"mmap = {Fd(m.Fd)}, shared = {Bool(m.Shared)}{As(m.As)}",
        Munmap m => "munmap = " + m.Mapping,
        SocketPair s when s.As0 is not null && s.As1 is not null => $"socketpair = true, as = [{s.As0}, {s.As1}]",
        SendMsg s => $"sendmsg = {Fd(s.Socket)}, fds = [{string.Join(", ", s.Fds.Select(Fd))}]",
        RecvMsg r => $"recvmsg = {Fd(r.Socket)}, fds = [{string.Join(", ", r.As)}]",
        Sigaction { Action: SignalAction.Handle h } s => $"sigaction = {Signal(s.Signo)}, handler = {Handler(h.Handler)}",
        Sigaction { Action: SignalAction.IgnoreAction } s => $"sigaction = {Signal(s.Signo)}, action = ignore",
        Sigaction s => $"sigaction = {Signal(s.Signo)}, action = default",
        Sigprocmask m => $"sigprocmask = {m.How}, signals = [{string.Join(", ", m.Signals.Select(Signal))}]",
        OpenVerbsContext v when v.As is not null => "verbs-open = true, as = " + v.As,
        TakeLayoutLease t => "layout-lease = " + Fd(t.Fd),
        ReleaseLayoutLease r => "layout-unlock = " + Fd(r.Fd),
        RegisterRegion r => $"reg-mr = {r.Mapping}, context = {Fd(r.Context)}, as = {r.Region}, odp = {Bool(r.Odp)}, dma-rate = {r.DmaPerSecond.ToString(Inv)}, offset = {r.Offset.ToString(Inv)}" + (r.Length is { } len ? ", length = " + len.ToString(Inv) : ""),
        DeregisterRegion d => $"dereg-mr = {d.Region}, context = {Fd(d.Context)}",
        PunchHole p => $"punch-hole = {Fd(p.Fd)}, offset = {p.Offset.ToString(Inv)}, length = {p.Length.ToString(Inv)}",
        _ => throw new NotSupportedException($"the syscall {call} has no topology form"),
    };

    private static string Chaos(ChaosPlan plan)
    {
        var sb = new StringBuilder("chaos {\n");
        if (!plan.Delays.IsEmpty)
        {
            sb.Append("  delays = [\n");
            foreach (var d in plan.Delays)
            {
                var point = d.On switch
                {
                    ChaosPoint.SignalDelivery => "signal-delivery",
                    ChaosPoint.Handler => "handler",
                    ChaosPoint.Socket => "socket",
                    ChaosPoint.Syscall => "syscall",
                    _ => "dma",
                };
                var dist = d.Distribution switch
                {
                    Distribution.Fixed f => "distribution = fixed, value = " + Duration(f.Value),
                    Distribution.Uniform u => $"distribution = uniform, min = {Duration(u.Min)}, max = {Duration(u.Max)}",
                    Distribution.Exponential e => "distribution = exponential, mean = " + Duration(e.Mean),
                    Distribution.LogNormal l => $"distribution = log-normal, mu = {l.Mu.ToString("R", Inv)}, sigma = {l.Sigma.ToString("R", Inv)}",
                    var other => throw new NotSupportedException($"the distribution {other} has no topology form"),
                };
                sb.Append("    { at = ").Append(point).Append(", ").Append(dist);
                if (d.Process is not null) sb.Append(", process = ").Append(d.Process);
                if (d.Signal is { } s) sb.Append(", signal = ").Append(Signal(s));
                if (d.Step is not null) sb.Append(", step = ").Append(Quote(d.Step));
                if (d.Probability != 1) sb.Append(", probability = ").Append(d.Probability.ToString("R", Inv));
                sb.Append(" }\n");
            }
            sb.Append("  ]\n");
        }
        if (!plan.Crashes.IsEmpty)
        {
            sb.Append("  crashes = [\n");
            foreach (var c in plan.Crashes)
            {
                var fields = new List<string>();
                if (c.Process is not null) fields.Add("process = " + c.Process);
                if (c.AtLabel is not null) fields.Add("at = " + c.AtLabel);
                else if (c.AtRandomStep) fields.Add("at = random");
                if (c.Probability > 0) fields.Add("probability = " + c.Probability.ToString("R", Inv));
                sb.Append("    { ").Append(string.Join(", ", fields)).Append(" }\n");
            }
            sb.Append("  ]\n");
        }
        if (!plan.Drops.IsEmpty)
        {
            sb.Append("  drops = [\n");
            foreach (var d in plan.Drops)
            {
                var fields = new List<string>();
                if (d.Signal is { } s) fields.Add("signal = " + Signal(s));
                if (d.Process is not null) fields.Add("process = " + d.Process);
                fields.Add("probability = " + d.Probability.ToString("R", Inv));
                sb.Append("    { ").Append(string.Join(", ", fields)).Append(" }\n");
            }
            sb.Append("  ]\n");
        }
        return sb.Append("}\n").ToString();
    }

    private static string As(string? name) => name is null ? "" : ", as = " + name;

    private static string Fd(FdRef fd) => fd.Name ?? throw new NotSupportedException($"fd {fd} is a number; topology files name every fd");

    private static string Process(ProcessRef p) =>
        p.Name is { } n ? (p.IsGroup ? "-" : "") + n : throw new NotSupportedException($"process {p} is a pid; topology files name processes");

    private static string Signal(int signo) => Sig.Name(signo);

    private static string Bool(bool b) => b ? "true" : "false";

    private static string Flags(OpenFlags flags)
    {
        var names = new List<string> { (flags & (OpenFlags)0x3) switch { OpenFlags.O_WRONLY => "O_WRONLY", OpenFlags.O_RDWR => "O_RDWR", _ => "O_RDONLY" } };
        foreach (var f in new[] { OpenFlags.O_CREAT, OpenFlags.O_TRUNC, OpenFlags.O_NONBLOCK, OpenFlags.O_CLOEXEC, OpenFlags.O_PATH })
            if ((flags & f) != 0) names.Add(f.ToString());
        if ((flags & OpenFlags.O_PATH) != 0) names.RemoveAt(0);
        return string.Join(", ", names);
    }

    /// <summary>A duration in milliseconds, exact to the format's 100 ns resolution.</summary>
    internal static string Duration(TimeSpan t) =>
        t == TimeSpan.Zero ? "0" : (t.Ticks / (decimal)TimeSpan.TicksPerMillisecond).ToString("0.####", Inv) + "ms";

    /// <summary>A HOCON string: quoted unless it is a plain path or name.</summary>
    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '.') && !text.StartsWith('.')
            ? text
            : "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
