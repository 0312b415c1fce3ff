namespace LeaseActors.Simulation.Strategies;

/// <summary>
/// Follows a recorded list of choices (<see cref="RunResult.Choices"/>), reproducing the run that made them.
/// </summary>
/// <remarks>
/// If the run asks for more choices than were recorded, or a recorded index does not fit the ready set, the
/// run is not the one that was recorded (different topology, policy or engine version) and
/// <see cref="ReplayDivergedException"/> says where.
/// </remarks>
public sealed class ReplayStrategy : ISchedulingStrategy
{
    private readonly IReadOnlyList<int> _choices;
    private int _next;

    /// <summary>Replays <paramref name="choices"/>.</summary>
    public ReplayStrategy(IReadOnlyList<int> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        _choices = choices;
    }

    /// <summary>How many recorded choices have been used in the current run.</summary>
    public int Used => _next;

    /// <inheritdoc />
    public void Start(ulong seed) => _next = 0;

    /// <inheritdoc />
    public int Choose(IReadyView ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (_next >= _choices.Count)
            throw new ReplayDivergedException($"the run asked for choice {_next + 1} at step {ready.StepsTaken} but only {_choices.Count} were recorded");
        var choice = _choices[_next];
        if (choice < 0 || choice >= ready.Count)
            throw new ReplayDivergedException($"recorded choice {_next + 1} is {choice} but only {ready.Count} mailboxes are ready at step {ready.StepsTaken}");
        _next++;
        return choice;
    }
}

/// <summary>Thrown when a replayed run departs from the recorded schedule.</summary>
public sealed class ReplayDivergedException : Exception
{
    /// <summary>Creates the exception with a description of where the replay diverged.</summary>
    public ReplayDivergedException(string message) : base("Replay diverged: " + message) { }
}
