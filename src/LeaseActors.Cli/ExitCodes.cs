namespace LeaseActors.Cli;

/// <summary>The exit codes of DESIGN.md §6.</summary>
internal static class ExitCodes
{
    /// <summary>Success: every applicable expectation was met.</summary>
    public const int Success = 0;
    /// <summary>An expectation was not met, or a campaign found a verdict at or above --fail-on.</summary>
    public const int ExpectationNotMet = 1;
    /// <summary>Bad input or usage.</summary>
    public const int BadInput = 2;
    /// <summary>A required environment is missing (the real-kernel oracle cannot run here).</summary>
    public const int EnvironmentMissing = 3;
    /// <summary>An internal error: a bug.</summary>
    public const int InternalError = 70;
}
