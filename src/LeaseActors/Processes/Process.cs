using LeaseActors.Processes;

namespace LeaseActors.Processes;

/// <summary>The public protocol of an emulated process (beyond its program): run a syscall and get its result.</summary>
public static class Process
{
    /// <summary>
    /// Runs <paramref name="Call"/> on the process's main thread (after any program step in progress; the lowest
    /// living thread once the main thread has exited) and answers the sender with <see cref="Executed"/>. Every
    /// request is answered: <c>execve</c> with 0 when the new program starts, <c>exit_thread</c> with 0, and a
    /// process that exits or has exited (including through this call's <c>exit</c>) with ESRCH once its exit is
    /// complete.
    /// </summary>
    public sealed record Execute(Syscall Call, long RequestId = 0);

    /// <summary>The result of an <see cref="Execute"/>.</summary>
    public sealed record Executed(Syscall Call, SyscallResult Result, long RequestId);
}
