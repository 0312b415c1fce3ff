using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Processes;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Tests;

/// <summary>A signal as the receiving process saw it: what it was, what the process did with it, and its siginfo.</summary>
public sealed record Delivered(string Signal, string Action, long Code, long Fd, long Band, TimeSpan At);

/// <summary>More queries over a run's trace, for the specs.</summary>
public static class TraceQueries
{
    private static long Num(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>The pid the kernel gave <paramref name="process"/>.</summary>
    public static int Pid(this TraceView run, string process)
    {
        var created = run.Events("process.created").Where(e => (string?)e.Event["process"] == process).ToList();
        Assert.True(created.Count == 1, $"no process {process}:\n{run.Dump()}");
        return (int)Num(created[0].Event["pid"]);
    }

    /// <summary>The tid of thread <paramref name="thread"/> (named <c>process.thread</c>).</summary>
    public static int Tid(this TraceView run, string thread)
    {
        var created = run.Events("thread.created").Where(e => (string?)e.Event["thread"] == thread).ToList();
        Assert.True(created.Count == 1, $"no thread {thread}:\n{run.Dump()}");
        return (int)Num(created[0].Event["tid"]);
    }

    /// <summary>Every value the step labelled <paramref name="label"/> returned (F_GETOWN_EX's type and id, recvmsg's fds).</summary>
    public static long[] Values(this TraceView run, string process, string label)
    {
        var exit = run.Events("syscall.exit").LastOrDefault(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);
        Assert.True(exit.Event is not null, $"{process} has no completed step labelled {label}:\n{run.Dump()}");
        if (exit.Event["values"] is IEnumerable<long> values) return [.. values];
        return [Num(exit.Event["value"])];
    }

    /// <summary>When the step labelled <paramref name="label"/> completed.</summary>
    public static TimeSpan At(this TraceView run, string process, string label)
    {
        var exit = run.Events("syscall.exit").LastOrDefault(e => (string?)e.Event["process"] == process && (string?)e.Event["label"] == label);
        Assert.True(exit.Event is not null, $"{process} has no completed step labelled {label}:\n{run.Dump()}");
        return exit.Time;
    }

    /// <summary>Signals that reached <paramref name="process"/>, with their band and time.</summary>
    public static List<Delivered> Delivered(this TraceView run, string process) =>
        [.. run.Events("signal.delivered").Where(e => (string?)e.Event["process"] == process)
            .Select(e => new Delivered((string)e.Event["signal"]!, (string)e.Event["action"]!, Num(e.Event["code"]), Num(e.Event["fd"]), Num(e.Event["band"]), e.Time))];

    /// <summary>Handlers that ran in <paramref name="process"/>, by signal name.</summary>
    public static List<string> HandlersRun(this TraceView run, string process) =>
        [.. run.Events("handler.start").Where(e => (string?)e.Event["process"] == process).Select(e => (string)e.Event["signal"]!)];

    /// <summary>The answer to the script's <see cref="Process.Execute"/> tagged <paramref name="tag"/>.</summary>
    public static (long Value, string? Errno, long[] Values, TimeSpan At) Executed(this TraceView run, string tag)
    {
        var e = run.Events("test.executed").SingleOrDefault(x => (string?)x.Event["tag"] == tag);
        Assert.True(e.Event is not null, $"no answer for {tag}:\n{run.Dump()}");
        long[] values = e.Event["values"] is IEnumerable<long> v ? [.. v] : [];
        return (Num(e.Event["value"]), (string?)e.Event["errno"], values, e.Time);
    }

    /// <summary>The way the process ended: (status, signal name or null).</summary>
    public static (long Status, string? Signal) ExitOf(this TraceView run, string process)
    {
        var e = run.Events("process.exited").SingleOrDefault(x => (string?)x.Event["process"] == process);
        Assert.True(e.Event is not null, $"{process} did not exit:\n{run.Dump()}");
        return (Num(e.Event["status"]), (string?)e.Event["signal"]);
    }

    /// <summary>Events of <paramref name="kind"/> whose field <paramref name="field"/> equals <paramref name="value"/>.</summary>
    public static List<(TimeSpan Time, TraceEvent Event)> Where(this TraceView run, string kind, string field, object value) =>
        [.. run.Events(kind).Where(e => Equals(e.Event[field]?.ToString(), value.ToString()))];
}

/// <summary>Signal actions for <see cref="ScenarioBuilder.Process(string, int, ImmutableDictionary{int, SignalAction}?, Step[])"/>.</summary>
public static class Acts
{
    /// <summary>No actions: every signal has its default disposition.</summary>
    public static ImmutableDictionary<int, SignalAction> None => ImmutableDictionary<int, SignalAction>.Empty;

    /// <summary>A handler for <paramref name="signo"/> that takes no time and runs <paramref name="steps"/> (SA_RESTART as given).</summary>
    public static ImmutableDictionary<int, SignalAction> Handle(this ImmutableDictionary<int, SignalAction> actions, int signo, bool restart = true, params Step[] steps) =>
        actions.SetItem(signo, new SignalAction.Handle(new SignalHandler(TimeSpan.Zero, [.. steps], restart)));

    /// <summary>A handler for <paramref name="signo"/> that takes <paramref name="takes"/> and then runs <paramref name="steps"/>.</summary>
    public static ImmutableDictionary<int, SignalAction> HandleAfter(this ImmutableDictionary<int, SignalAction> actions, int signo, TimeSpan takes, bool restart = true, params Step[] steps) =>
        actions.SetItem(signo, new SignalAction.Handle(new SignalHandler(takes, [.. steps], restart)));

    /// <summary>SIG_IGN for <paramref name="signo"/>.</summary>
    public static ImmutableDictionary<int, SignalAction> Ignore(this ImmutableDictionary<int, SignalAction> actions, int signo) =>
        actions.SetItem(signo, SignalAction.Ignore);

    /// <summary>A handler for <paramref name="signo"/> that does nothing (SA_RESTART).</summary>
    public static ImmutableDictionary<int, SignalAction> Catches(int signo) => None.Handle(signo);
}
