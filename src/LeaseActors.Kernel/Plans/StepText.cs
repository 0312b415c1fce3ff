using System.Globalization;
using LeaseActors.Processes;
using LeaseActors.Signals;

namespace LeaseActors.Conformance.Plans;

/// <summary>Short texts of steps for the side-by-side table (<c>open /srv/data O_RDWR|O_NONBLOCK</c>).</summary>
public static class StepText
{
    /// <summary>What <paramref name="step"/> does, in a few words.</summary>
    public static string Of(Step step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step switch
        {
            CallStep c => Of(c.Call),
            SleepStep s => "sleep " + Ms(s.Duration),
            LabelStep => "label",
            WaitForStep w => $"wait-for {w.Process}.{w.Mark}",
            FaultStep => "fault",
            _ => step.GetType().Name,
        };
    }

    /// <summary>What <paramref name="call"/> does, in a few words.</summary>
    public static string Of(Syscall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call switch
        {
            Open o => $"open {o.Path} {Flags(o.Flags)}",
            Close c => $"close {c.Fd}",
            Dup d => $"dup {d.Fd}",
            SetLease s => $"F_SETLEASE {s.Fd} {Lease(s.Arg)}",
            GetLease g => $"F_GETLEASE {g.Fd}",
            SetOwn s => $"F_SETOWN {s.Fd} {(s.Target is { } t ? t.ToString() : "0")}",
            SetOwnEx s => $"F_SETOWN_EX {s.Fd} {s.Kind} {s.Target}",
            GetOwn g => $"F_GETOWN {g.Fd}",
            GetOwnEx g => $"F_GETOWN_EX {g.Fd}",
            SetSig s => $"F_SETSIG {s.Fd} {(s.Signo == 0 ? "0" : Sig.Name(s.Signo))}",
            GetSig g => $"F_GETSIG {g.Fd}",
            SetCloexec s => $"F_SETFD {s.Fd} {(s.Cloexec ? "FD_CLOEXEC" : "0")}",
            Fork f => $"fork {f.ChildName}",
            Exit e => $"exit {e.Status}",
            Kill k => $"kill {k.Target} {Sig.Name(k.Signo)}",
            Truncate t => $"truncate {t.Path} {t.Length}",
            Ftruncate t => $"ftruncate {t.Fd} {t.Length}",
            Write w => $"write {w.Fd} {w.Bytes}",
            Stat s => $"stat {s.Path}",
            Unlink u => $"unlink {u.Path}",
            Rename r => $"rename {r.From} {r.To}",
            Link l => $"link {l.Existing} {l.NewPath}",
            Chmod c => $"chmod {c.Path} {Convert.ToString(c.Mode, 8)}",
            Chown c => $"chown {c.Path} {c.Uid}",
            Utimensat u => $"utimensat {u.Path}",
            Mmap m => $"mmap {m.Fd} {(m.Shared ? "MAP_SHARED" : "MAP_PRIVATE")}",
            Munmap m => $"munmap {m.Mapping}",
            SendMsg s => $"sendmsg {s.Socket} [{string.Join(",", s.Fds)}]",
            RecvMsg r => $"recvmsg {r.Socket} [{string.Join(",", r.As)}]",
            SocketPair => "socketpair",
            Sigaction s => $"sigaction {Sig.Name(s.Signo)} {s.Action switch { SignalAction.IgnoreAction => "SIG_IGN", SignalAction.DefaultAction => "SIG_DFL", _ => "handler" }}",
            Sigprocmask m => $"sigprocmask {m.How} [{string.Join(",", m.Signals.Select(Sig.Name))}]",
            Setpgid p => $"setpgid {(p.Leader is { } l ? l.ToString() : "0")}",
            Setuid u => $"setuid {u.Uid}",
            Setfsuid u => $"setfsuid {u.Uid}",
            SetCapLease c => $"cap-lease {c.Granted}",
            _ => call.Name,
        };
    }

    /// <summary><c>F_RDLCK</c>, <c>F_WRLCK</c>, <c>F_UNLCK</c> or the number.</summary>
    public static string Lease(long arg) => arg switch
    {
        0 => "F_RDLCK",
        1 => "F_WRLCK",
        2 => "F_UNLCK",
        _ => arg.ToString(CultureInfo.InvariantCulture),
    };

    private static string Flags(OpenFlags flags)
    {
        var parts = new List<string> { flags.AccessMode() switch { OpenFlags.O_WRONLY => "O_WRONLY", OpenFlags.O_RDWR => "O_RDWR", _ => "O_RDONLY" } };
        foreach (var f in new[] { OpenFlags.O_CREAT, OpenFlags.O_TRUNC, OpenFlags.O_NONBLOCK, OpenFlags.O_CLOEXEC, OpenFlags.O_PATH })
            if ((flags & f) != 0) parts.Add(f.ToString());
        return string.Join("|", parts);
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
