using Akka.Actor;
using LeaseActors.Kernel;

namespace LeaseActors.RealTime;

/// <summary>
/// The kernel's set-up protocol (<see cref="EmulatedKernel"/>) as awaited requests to its root actor, shared by every
/// real-time host of a kernel (one machine, or a cluster). A request the kernel refuses fails with its reason.
/// </summary>
internal static class KernelRequests
{
    public static async Task<InodeId> CreateFileAsync(IActorRef kernel, EmulatedKernel.CreateFile file, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(file);
        var created = await kernel.Ask<EmulatedKernel.FileCreated>(file, cancel).ConfigureAwait(false);
        return created.Inode;
    }

    public static async Task<EmulatedProcess> SpawnAsync(IActorRef kernel, EmulatedKernel.Spawn spawn, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(spawn);
        var spawned = await kernel.Ask<EmulatedKernel.Spawned>(spawn, cancel).ConfigureAwait(false);
        return new EmulatedProcess(spawned.Name, spawned.Pid, spawned.Process);
    }

    public static Task ConnectSocketAsync(IActorRef kernel, EmulatedKernel.ConnectSocket socket, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return kernel.Ask<EmulatedKernel.SocketConnected>(socket, cancel);
    }
}
