using System.Collections.Immutable;
using LeaseActors.Leases;
using LeaseActors.Processes;

namespace LeaseActors.Testing;

/// <summary>
/// Short names for program steps, so a program reads like the topology it could be written as:
/// <c>S.Open("/data", OpenFlags.O_RDONLY, "f"), S.Lease("f", LeaseType.F_RDLCK, "leased"), S.Sleep(1s)</c>.
/// </summary>
/// <remarks>
/// Every step may carry a label: other processes wait for it (<see cref="WaitFor"/>), and assertions and
/// expectations refer to its result. Labels should be unique within a process, as a topology file requires.
/// </remarks>
public static class S
{
    /// <summary>Any syscall as a step.</summary>
    public static CallStep Do(Syscall call, string? label = null) => new(call) { Label = label };

    /// <summary><c>open(path, flags)</c>, naming the new fd <paramref name="name"/>.</summary>
    public static CallStep Open(string path, OpenFlags flags, string name, string? label = null) => Do(new Open(path, flags, name), label);

    /// <summary><c>fcntl(fd, F_SETLEASE, type)</c>.</summary>
    public static CallStep Lease(string fd, LeaseType type, string? label = null) => Do(new SetLease(fd, (int)type), label);

    /// <summary><c>fcntl(fd, F_SETLEASE, F_UNLCK)</c>: release the lease.</summary>
    public static CallStep Unlock(string fd, string? label = null) => Lease(fd, LeaseType.F_UNLCK, label);

    /// <summary><c>fcntl(fd, F_GETLEASE)</c>.</summary>
    public static CallStep GetLease(string fd, string? label = null) => Do(new GetLease(fd), label);

    /// <summary><c>close(fd)</c>.</summary>
    public static CallStep Close(string fd, string? label = null) => Do(new Close(fd), label);

    /// <summary><c>dup(fd)</c>, naming the new fd <paramref name="name"/>.</summary>
    public static CallStep Dup(string fd, string name, string? label = null) => Do(new Dup(fd, name), label);

    /// <summary><c>write(fd, buf, bytes)</c> (never breaks an fcntl lease).</summary>
    public static CallStep Write(string fd, long bytes = 1, string? label = null) => Do(new Write(fd, bytes), label);

    /// <summary><c>stat(path)</c> (never breaks a lease; returns the size).</summary>
    public static CallStep Stat(string path, string? label = null) => Do(new Stat(path), label);

    /// <summary><c>truncate(path, length)</c>: breaks leases as a writer.</summary>
    public static CallStep Truncate(string path, long length = 0, string? label = null) => Do(new Truncate(path, length), label);

    /// <summary><c>sendmsg(socket)</c> passing <paramref name="fds"/> with SCM_RIGHTS.</summary>
    public static CallStep Send(string socket, params string[] fds) => Do(new SendMsg(socket, [.. fds.Select(FdRef.Named)]));

    /// <summary><c>recvmsg(socket)</c>, naming the fds received <paramref name="names"/> in order.</summary>
    public static CallStep Receive(string socket, params string[] names) => Do(new RecvMsg(socket, [.. names]));

    /// <summary>A thread of the same process, named <paramref name="name"/>, running <paramref name="program"/>.</summary>
    public static CallStep Thread(string name, params Step[] program) => Do(new SpawnThread(name, [.. program]));

    /// <summary>Waits <paramref name="t"/> of virtual time (a handler may run meanwhile).</summary>
    public static SleepStep Sleep(TimeSpan t) => new(t);

    /// <summary>Waits until <paramref name="process"/> has reached <paramref name="label"/> (or <c>exited</c>).</summary>
    public static WaitForStep WaitFor(string process, string label) => new(process, label);

    /// <summary>Marks this point of the program with <paramref name="name"/>.</summary>
    public static LabelStep Label(string name) => new(name);

    /// <summary><c>exit_group(status)</c>.</summary>
    public static CallStep Exit(int status = 0) => Do(new Exit(status));

    /// <summary>A program from steps (for <see cref="Processes.Fork"/> and the like).</summary>
    public static ImmutableArray<Step> Program(params Step[] steps) => [.. steps];
}
