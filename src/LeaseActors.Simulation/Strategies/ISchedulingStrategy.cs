namespace LeaseActors.Simulation.Strategies;

/// <summary>
/// Picks which ready mailbox runs next when more than one is ready. Called only on the run's driver thread;
/// one instance serves one run at a time.
/// </summary>
public interface ISchedulingStrategy
{
    /// <summary>Called once at the start of every run, before any choice.</summary>
    void Start(ulong seed);

    /// <summary>Returns the index (0 ≤ index &lt; <see cref="IReadyView.Count"/>) of the mailbox to run next.</summary>
    int Choose(IReadyView ready);
}

/// <summary>The ready mailboxes at one scheduling point, in a fixed order (the order their actors were created in the run).</summary>
public interface IReadyView
{
    /// <summary>How many are ready (at least 2 when a strategy is asked).</summary>
    int Count { get; }

    /// <summary>Number of steps taken so far in the run.</summary>
    long StepsTaken { get; }

    /// <summary>
    /// A key that identifies the actor of the <paramref name="index"/>-th ready mailbox for the whole run:
    /// its creation order in the run (0 is the engine's host). Tasks that are not mailboxes get fresh keys.
    /// </summary>
    int KeyAt(int index);
}
