namespace LeaseActors.Testing;

/// <summary>
/// A LeaseActors.Testing assertion failed. The message says what was expected and what the run showed, and for a run
/// made by <see cref="ScenarioBuilder"/>, its seed, its policy and how to replay it (<see cref="ScenarioRun.Describe"/>).
/// </summary>
/// <remarks>
/// Not tied to a test framework: xUnit, NUnit and MSTest all report an exception's message as the failure. Bugs of the
/// emulator itself surface as the exceptions LeaseActors throws, not as this one.
/// </remarks>
public sealed class LeaseActorsAssertionException : Exception
{
    /// <summary>An assertion failure with <paramref name="message"/>.</summary>
    public LeaseActorsAssertionException(string message) : base(message)
    {
    }

    /// <summary>An assertion failure with <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public LeaseActorsAssertionException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>An assertion failure with no message (for serializers; prefer the other constructors).</summary>
    public LeaseActorsAssertionException()
    {
    }

    /// <summary>The seed of the failing run, when the failure belongs to one.</summary>
    public ulong? Seed { get; init; }

    internal static void That([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool condition, Func<string> message)
    {
        if (!condition) throw new LeaseActorsAssertionException(message());
    }
}
