using System.Collections.Immutable;

namespace LeaseActors.Processes;

/// <summary>One step of a process's (or a handler's) program.</summary>
public abstract record Step
{
    /// <summary>
    /// A name for the step: expectations refer to its result, and other processes can <see cref="WaitForStep"/>
    /// until it has completed.
    /// </summary>
    public string? Label { get; init; }
}

/// <summary>Runs a syscall.</summary>
public sealed record CallStep(Syscall Call) : Step;

/// <summary>Waits <paramref name="Duration"/> of virtual time; a handler running meanwhile does not shorten it.</summary>
public sealed record SleepStep(TimeSpan Duration) : Step;

/// <summary>Marks a point of the program (reached when the program gets there).</summary>
public sealed record LabelStep(string Name) : Step;

/// <summary>Waits until process <paramref name="Process"/> has reached label <paramref name="Mark"/> (or <c>exited</c>).</summary>
public sealed record WaitForStep(string Process, string Mark) : Step;

/// <summary>Throws: in a handler, the handler faults and the process's supervisor decides; in a program, the process crashes.</summary>
public sealed record FaultStep(string Message) : Step;

/// <summary>Helpers to write programs in C#.</summary>
public static class Program
{
    /// <summary>A program from steps.</summary>
    public static ImmutableArray<Step> Of(params Step[] steps) => [.. steps];

    /// <summary>A syscall step.</summary>
    public static CallStep Do(Syscall call, string? label = null) => new(call) { Label = label };
}
