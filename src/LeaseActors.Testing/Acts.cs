using System.Collections.Immutable;
using LeaseActors.Processes;

namespace LeaseActors.Testing;

/// <summary>Signal actions (<c>sigaction</c> dispositions installed before a program starts) for <see cref="ScenarioBuilder.Process(string, int, ImmutableDictionary{int, SignalAction}?, Step[])"/>.</summary>
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
