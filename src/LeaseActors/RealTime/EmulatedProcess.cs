using Akka.Actor;
using LeaseActors.Processes;

namespace LeaseActors.RealTime;

/// <summary>A process of a <see cref="RealTimeKernel"/>, driven from outside by syscalls.</summary>
public sealed class EmulatedProcess
{
    private long _nextRequest;

    internal EmulatedProcess(string name, Pid pid, IActorRef actor)
    {
        Name = name;
        Pid = pid;
        Ref = actor;
    }

    /// <summary>The process's name (unique in its kernel).</summary>
    public string Name { get; }

    /// <summary>Its pid.</summary>
    public Pid Pid { get; }

    /// <summary>Its actor (the protocol of <see cref="Process"/>).</summary>
    public IActorRef Ref { get; }

    /// <summary>
    /// Runs <paramref name="call"/> on the process's main thread (after any program step in progress) and completes
    /// with its result when the call returns, which may be long after (a blocked <c>open</c> waits for a lease break).
    /// A process that has exited answers ESRCH. Real-time mode only (see <see cref="RealTimeKernel"/>).
    /// </summary>
    public async Task<SyscallResult> ExecuteAsync(Syscall call, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var id = Interlocked.Increment(ref _nextRequest);
        var executed = await Ref.Ask<Process.Executed>(new Process.Execute(call, id), cancel).ConfigureAwait(false);
        return executed.Result;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (pid {Pid})";
}
