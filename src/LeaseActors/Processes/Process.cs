using LeaseActors.Processes;

namespace LeaseActors.Processes;

/// <summary>The public protocol of an emulated process (beyond its program): run a syscall and get its result.</summary>
public static class Process
{
    /// <summary>
    /// Runs <paramref name="Call"/> on the process's main thread (after any program step in progress) and answers
    /// the sender with <see cref="Executed"/>. A process that has exited answers ESRCH.
    /// </summary>
    public sealed record Execute(Syscall Call, long RequestId = 0);

    /// <summary>The result of an <see cref="Execute"/>.</summary>
    public sealed record Executed(Syscall Call, SyscallResult Result, long RequestId);
}
