using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Conformance.Plans;
using LeaseActors.Processes;
using LeaseActors.Signals;

namespace LeaseActors.Conformance.Observation;

/// <summary>
/// Turns a <see cref="RawTrace"/> into the <see cref="ObservedTrace"/> both executors are compared on: per process,
/// each step's result (a value or an errno; fd numbers and addresses as <c>ok</c>, owners as process names, lease
/// types and signals by name), the signals it received (number, si_code, si_fd as the program's name for that fd),
/// the class of each blocking step's wait, and how the process ended.
/// </summary>
public static class Normalizer
{
    private const int PollMsg = Sig.POLL_MSG;

    /// <summary>Normalizes <paramref name="raw"/>, a run of <paramref name="plan"/>.</summary>
    public static ObservedTrace Normalize(ConformancePlan plan, RawTrace raw)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(raw);
        var names = raw.Processes.Where(p => p.Pid > 0).GroupBy(p => p.Pid).ToDictionary(g => g.Key, g => g.Last().Name);
        var observations = new List<Observation>();
        var order = plan.Processes.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => (long)x.i);
        long ProcessOrder(string p) => order.TryGetValue(p, out var o) ? o : 999;
        var tolerance = WaitClass.ToleranceMs(raw.LeaseBreakTime);

        // Step results and waits.
        var occurrences = new Dictionary<(string, string), int>();
        foreach (var step in raw.Steps.OrderBy(s => s.Seq))
        {
            var planned = plan.StepByLabel(step.Label);
            if (planned is null) continue;
            var key = (step.Process, step.Label);
            occurrences[key] = occurrences.TryGetValue(key, out var n) ? n + 1 : 1;
            var occurrence = occurrences[key];
            var suffix = occurrence > 1 ? "#" + occurrence.ToString(CultureInfo.InvariantCulture) : "";
            var baseKey = $"{step.Process}|{step.Label}{suffix}";
            var title = $"{step.Process}.{planned.Name}{suffix}: {planned.Describe()}";
            var sort = ProcessOrder(step.Process) * 1_000_000 + planned.Id * 100 + Math.Min(occurrence, 99);
            observations.Add(new Observation(baseKey, step.Process, sort * 10, title, Result(planned, step, names)));
            if (planned.CanBlock && step.ExitUs is { } exitUs)
            {
                var (cls, ms) = Classify(plan, raw, step, exitUs, tolerance);
                observations.Add(new Observation(baseKey + "|wait", step.Process, sort * 10 + 1, $"{step.Process}.{planned.Name}{suffix} waited", cls, ms));
            }
        }

        // Signals, with si_fd named through each process's fd names at the time.
        var fdNames = FdNamesAtSignals(plan, raw);
        foreach (var group in raw.Signals.GroupBy(s => s.Process))
        {
            var list = group.OrderBy(s => s.Seq).Select(s => SignalText(s, fdNames)).ToList();
            observations.Add(new Observation($"{group.Key}|signals", group.Key, ProcessOrder(group.Key) * 10_000_000 + 9_999_990, $"{group.Key} signals", "[" + string.Join(", ", list) + "]"));
        }

        // How each process ended.
        foreach (var process in raw.Processes)
        {
            var exit = raw.Exits.LastOrDefault(e => e.Process == process.Name);
            var text = exit is null || exit.AtEnd ? "running at end"
                : exit.Signal is { } sig ? "killed by " + Sig.Name(sig)
                : "exit " + (exit.Status ?? 0).ToString(CultureInfo.InvariantCulture);
            observations.Add(new Observation($"{process.Name}|exit", process.Name, ProcessOrder(process.Name) * 10_000_000 + 9_999_999, $"{process.Name} ended", text));
        }

        return new ObservedTrace
        {
            Executor = raw.Executor,
            Observations = [.. observations.OrderBy(o => o.Order).ThenBy(o => o.Key, StringComparer.Ordinal)],
            Pids = raw.Processes.GroupBy(p => p.Name).ToImmutableDictionary(g => g.Key, g => g.Last().Pid),
            Raw = raw,
        };
    }

    private static string Result(PlannedStep planned, RawStep step, Dictionary<int, string> names)
    {
        if (step.ExitUs is null) return "no result";
        if (step.Errno is { } errno) return errno == "EWOULDBLOCK" ? "EAGAIN" : errno;
        var v = step.Value;
        return planned.Call switch
        {
            Open or Dup or SocketPair or RecvMsg or SendMsg or Fork or Mmap or Setfsuid => "ok",
            GetLease => StepText.Lease(v),
            GetOwn => Owner(v, names),
            GetOwnEx => step.Values.Length >= 2
                ? ((OwnerKind)(int)step.Values[0]).ToString() + " " + Owner(step.Values[1], names)
                : v.ToString(CultureInfo.InvariantCulture),
            GetSig => v == 0 ? "0" : Sig.Name((int)v),
            _ => v.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Owner(long pid, Dictionary<int, string> names) => pid switch
    {
        0 => "0",
        > 0 => names.TryGetValue((int)pid, out var n) ? n : "pid?",
        _ => names.TryGetValue((int)-pid, out var g) ? "-" + g : "-pgid?",
    };

    private static (string Class, double Ms) Classify(ConformancePlan plan, RawTrace raw, RawStep step, long exitUs, double toleranceMs)
    {
        var ms = (exitUs - step.EnterUs) / 1000.0;
        if (ms < toleranceMs) return (WaitClass.Immediate, ms);
        // About when a release happened: a successful F_SETLEASE, close or munmap by any step, or a process's end
        // (in that order of preference when several are near, then the nearest).
        var tolUs = (long)(toleranceMs * 1000);
        (int Priority, long Distance, string Name)? best = null;
        void Consider(int priority, long atUs, string name)
        {
            if (atUs <= step.EnterUs) return;
            var distance = Math.Abs(exitUs - atUs);
            if (distance >= tolUs) return;
            if (best is null || priority < best.Value.Priority || (priority == best.Value.Priority && distance < best.Value.Distance))
                best = (priority, distance, name);
        }
        foreach (var other in raw.Steps)
        {
            if (ReferenceEquals(other, step) || other.ExitUs is not { } at || other.Errno is not null || other.EnterUs > exitUs) continue;
            var planned = plan.StepByLabel(other.Label);
            // The blocked process's own program cannot release while blocked; its handlers can (a self-break).
            if (other.Process == step.Process && planned is not null && planned.Where.StartsWith("program", StringComparison.Ordinal)) continue;
            var priority = planned?.Call switch { SetLease => 0, Close => 1, Munmap => 2, _ => -1 };
            if (priority >= 0) Consider(priority, at, $"{other.Process}.{planned!.Name}");
        }
        // An exit releases too (the last close), but a release call just before it is the better name.
        foreach (var exit in raw.Exits)
            if (!exit.AtEnd && exit.Process != step.Process) Consider(3, exit.AtUs, $"{exit.Process} exits");
        // A wait of about one lease-break-time is that, even if something else happened then (often its consequence).
        if (raw.LeaseBreakTime > TimeSpan.Zero && Math.Abs(ms - raw.LeaseBreakTime.TotalMilliseconds) < toleranceMs)
            return (WaitClass.LeaseBreakTime, ms);
        if (best is { } b) return (WaitClass.UntilPrefix + b.Name, ms);
        return (WaitClass.Other, ms);
    }

    private static string SignalText(RawSignal s, Dictionary<RawSignal, string> fdNames)
    {
        var name = Sig.Name(s.Signo);
        if (s.Killed) return name + "(killed)";
        var code = s.Code switch
        {
            Sig.SI_KERNEL => "SI_KERNEL",
            PollMsg => "POLL_MSG",
            Sig.SI_USER => "SI_USER",
            Sig.SI_SIGIO => "SI_SIGIO",
            _ => s.Code.ToString(CultureInfo.InvariantCulture),
        };
        var band = "0x" + s.Band.ToString("x", CultureInfo.InvariantCulture);
        // si_fd is an fd of the receiver only for POLL_MSG/SI_SIGIO; a kernel-private signal shows its raw fields when
        // they are not zero (they are, SEMANTICS §5 case D12); SI_USER's union holds si_pid/si_uid instead.
        return s.Code is PollMsg or Sig.SI_SIGIO
            ? $"{name}({code},fd={(fdNames.TryGetValue(s, out var fd) ? fd : "?")},band={band})"
            : s.Code == Sig.SI_KERNEL && (s.Fd != 0 || s.Band != 0) ? $"{name}({code},si_fd={s.Fd.ToString(CultureInfo.InvariantCulture)},band={band})" : $"{name}({code})";
    }

    /// <summary>
    /// Replays each process's fd-name bindings (open/dup/recvmsg/socketpair results, copied at fork) in the order
    /// the executor saw them, and names the si_fd of each signal: the most recently bound name that still refers
    /// to that number (names stay bound after close, as in the emulator and the worker), or <c>-</c>.
    /// </summary>
    private static Dictionary<RawSignal, string> FdNamesAtSignals(ConformancePlan plan, RawTrace raw)
    {
        var events = new List<(long Seq, int Kind, object Item)>();
        foreach (var p in raw.Processes) events.Add((p.Seq, 0, p));
        foreach (var s in raw.Steps) if (s.ExitUs is not null && s.Errno is null) events.Add((s.ExitSeq, 1, s));
        foreach (var s in raw.Signals) events.Add((s.Seq, 2, s));
        var tables = new Dictionary<string, List<(string Name, int Fd)>>(StringComparer.Ordinal);
        List<(string Name, int Fd)> Table(string p)
        {
            if (!tables.TryGetValue(p, out var t)) tables[p] = t = [];
            return t;
        }
        void Bind(string p, string? name, long fd)
        {
            if (name is null) return;
            var t = Table(p);
            t.RemoveAll(x => x.Name == name);
            t.Add((name, (int)fd));
        }
        var result = new Dictionary<RawSignal, string>();
        foreach (var (_, kind, item) in events.OrderBy(e => e.Seq).ThenBy(e => e.Kind))
        {
            switch (item)
            {
                case RawProcess { Parent: { } parent } p:
                    tables[p.Name] = [.. Table(parent)];
                    break;
                case RawStep s:
                    switch (plan.StepByLabel(s.Label)?.Call)
                    {
                        case Open o: Bind(s.Process, o.As, s.Value); break;
                        case Dup d: Bind(s.Process, d.As, s.Value); break;
                        case SocketPair sp when s.Values.Length >= 2: Bind(s.Process, sp.As0, s.Values[0]); Bind(s.Process, sp.As1, s.Values[1]); break;
                        case RecvMsg r:
                            for (var i = 0; i < r.As.Length && i < s.Values.Length; i++) Bind(s.Process, r.As[i], s.Values[i]);
                            break;
                    }
                    break;
                case RawSignal sig:
                    var match = Table(sig.Process).LastOrDefault(x => x.Fd == sig.Fd);
                    result[sig] = match.Name ?? "-";
                    break;
            }
        }
        return result;
    }
}
