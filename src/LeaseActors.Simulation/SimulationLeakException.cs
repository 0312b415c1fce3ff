namespace LeaseActors.Simulation;

/// <summary>
/// Thrown when calls reached a run from outside its driver thread (an Ask timeout, <c>Task.Delay</c>,
/// <c>PipeTo</c> of an outside task, an actor created without the run's dispatcher…): such a run is not
/// deterministic. The message names what leaked.
/// </summary>
public sealed class SimulationLeakException : Exception
{
    /// <summary>Creates the exception for a run that leaked.</summary>
    public SimulationLeakException(RunResult result)
        : base(Describe(result)) => Result = result;

    /// <summary>The run's result, leaks included.</summary>
    public RunResult Result { get; }

    private static string Describe(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"{result.Leaks.Length} call(s) reached the run (seed {result.Seed}) from outside its driver thread, " +
               "so it is not deterministic: " + string.Join("; ", result.Leaks.Take(5)) +
               (result.Leaks.Length > 5 ? "; …" : "");
    }
}
