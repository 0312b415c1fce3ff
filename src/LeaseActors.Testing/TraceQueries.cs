using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Processes;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Testing;

/// <summary>More queries over a run's trace: pids, thread ids, every value of a step, when it returned, signals with their siginfo, handlers, exits.</summary>
public static class TraceQueries
{
    private static long Num(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>The pid the kernel gave <paramref name="process"/>.</summary>
    public static int Pid(this TraceView run, string process)
    {
        var created = run.Events("process.created").Where(e => (string?)e.Event["process"] == process).ToList();
        LeaseActorsAssertionException.That(created.Count == 1, () => $"no process {process}:\n{run.Dump()}");
        return (int)Num(created[0].Event["pid"]);
    }

    /// <summary>The tid of thread <paramref name="thread"/> (named <c>process.thread</c>).</summary>
    public static int Tid(this TraceView run, string thread)
    {
        var created = run.Events("thread.created").Where(e => (string?)e.Event["thread"] == thread).ToList();
        LeaseActorsAssertionException.That(created.Count == 1, () => $"no thread {thread}:\n{run.Dump()}");
        return (int)Num(created[0].Event["tid"]);
    }

    /// <summary>Every value the step labelled <paramref name="label"/> returned (F_GETOWN_EX's type and id, recvmsg's fds).</summary>
    public static long[] Values(this TraceView run, string process, string label)
    {
        var exit = run.Events("syscall.exit").LastOrDefault(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);
        LeaseActorsAssertionException.That(exit.Event is not null, () => $"{process} has no completed step labelled {label}:\n{run.Dump()}");
        if (exit.Event["values"] is IEnumerable<long> values) return [.. values];
        return [Num(exit.Event["value"])];
    }

    /// <summary>When the step labelled <paramref name="label"/> completed.</summary>
    public static TimeSpan At(this TraceView run, string process, string label)
    {
        var exit = run.Events("syscall.exit").LastOrDefault(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);
        LeaseActorsAssertionException.That(exit.Event is not null, () => $"{process} has no completed step labelled {label}:\n{run.Dump()}");
        return exit.Time;
    }

    /// <summary>Signals that reached <paramref name="process"/>, with their band and time.</summary>
    public static List<Delivered> Delivered(this TraceView run, string process) =>
        [.. run.Events("signal.delivered").Where(e => (string?)e.Event["process"] == process)
            .Select(e => new Delivered((string)e.Event["signal"]!, (string)e.Event["action"]!, Num(e.Event["code"]), Num(e.Event["fd"]), Num(e.Event["band"]), e.Time))];

    /// <summary>Handlers that ran in <paramref name="process"/>, by signal name.</summary>
    public static List<string> HandlersRun(this TraceView run, string process) =>
        [.. run.Events("handler.start").Where(e => (string?)e.Event["process"] == process).Select(e => (string)e.Event["signal"]!)];

    /// <summary>The answer to a <see cref="Process.Execute"/> that the run's root recorded as a <c>test.executed</c> event tagged <paramref name="tag"/>.</summary>
    public static (long Value, string? Errno, long[] Values, TimeSpan At) Executed(this TraceView run, string tag)
    {
        var e = run.Events("test.executed").SingleOrDefault(x => (string?)x.Event["tag"] == tag);
        LeaseActorsAssertionException.That(e.Event is not null, () => $"no answer for {tag}:\n{run.Dump()}");
        long[] values = e.Event["values"] is IEnumerable<long> v ? [.. v] : [];
        return (Num(e.Event["value"]), (string?)e.Event["errno"], values, e.Time);
    }

    /// <summary>The way the process ended: (status, signal name or null).</summary>
    public static (long Status, string? Signal) ExitOf(this TraceView run, string process)
    {
        var e = run.Events("process.exited").SingleOrDefault(x => (string?)x.Event["process"] == process);
        LeaseActorsAssertionException.That(e.Event is not null, () => $"{process} did not exit:\n{run.Dump()}");
        return (Num(e.Event["status"]), (string?)e.Event["signal"]);
    }

    /// <summary>Events of <paramref name="kind"/> whose field <paramref name="field"/> equals <paramref name="value"/>.</summary>
    public static List<(TimeSpan Time, TraceEvent Event)> Where(this TraceView run, string kind, string field, object value) =>
        [.. run.Events(kind).Where(e => Equals(e.Event[field]?.ToString(), value.ToString()))];

    /// <summary>
    /// The reads of a lease-based cache that returned a stale value (see <see cref="CacheProtocol"/> for what fills,
    /// drops and serves are, and when a serve is stale); empty when the protocol held.
    /// </summary>
    public static List<StaleRead> StaleReads(this TraceView run, CacheProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(protocol);
        var filled = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        TimeSpan? written = null;
        var stale = new List<StaleRead>();
        foreach (var entry in run.Trace.Entries)
        {
            if (entry.Event is not TraceEvent e) continue;
            var process = e["process"] as string;
            if (process is null) continue;
            switch (e.Kind)
            {
                case "syscall.exit" when e["label"] is string label:
                    if (process == protocol.Writer && label == protocol.WriteLabel && e["errno"] is null) written ??= entry.Time;
                    else if (label == protocol.Fill && e["errno"] is null) filled[process] = entry.Time;
                    else if (label == protocol.Drop) filled.Remove(process);
                    break;
                case "label" when e["label"] is string mark:
                    if (mark == protocol.Fill) filled[process] = entry.Time;
                    else if (mark == protocol.Drop) filled.Remove(process);
                    break;
                case "syscall.enter" when e["label"] is string serve && serve.StartsWith(protocol.ServePrefix, StringComparison.Ordinal):
                    if (written is { } w && filled.TryGetValue(process, out var at) && at <= w)
                        stale.Add(new StaleRead(process, serve, entry.Time, at, w));
                    break;
            }
        }
        return stale;
    }
}
