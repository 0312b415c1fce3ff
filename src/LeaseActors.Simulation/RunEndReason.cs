namespace LeaseActors.Simulation;

/// <summary>Why a simulated run stopped.</summary>
public enum RunEndReason
{
    /// <summary>Nothing was ready and no live timer was pending: the run finished by itself.</summary>
    Quiescence,

    /// <summary>Nothing was ready and the next timer was due after the horizon (blocked work may remain).</summary>
    Horizon,

    /// <summary>
    /// The step limit was reached, in mailbox turns or in timers fired, with work still pending (a livelock, or a
    /// limit set too low).
    /// </summary>
    StepLimit,
}
