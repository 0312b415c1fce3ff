using Akka.Actor;

namespace LeaseActors.Files;

/// <summary>
/// What an fd table entry knows about the open file description it refers to: its identity, its actor, and the
/// facts that never change after open (so a process can check them without a message).
/// </summary>
/// <param name="Id">The description's id.</param>
/// <param name="Actor">The <c>OpenFileActor</c>.</param>
/// <param name="Inode">The inode (0 for sockets).</param>
/// <param name="Manager">The inode's lease manager (or the socket actor for a socket end).</param>
/// <param name="Path">The path it was opened by (for traces and timelines).</param>
/// <param name="Type">The file type.</param>
/// <param name="Flags">The open flags.</param>
/// <param name="SocketEnd">For a socket: which end (0 or 1).</param>
public sealed record OfdHandle(OfdId Id, IActorRef Actor, InodeId Inode, IActorRef Manager, string Path, FileType Type, OpenFlags Flags, int SocketEnd = -1)
{
    /// <summary>FMODE_READ.</summary>
    public bool Reads => Flags.Reads();

    /// <summary>FMODE_WRITE.</summary>
    public bool Writes => Flags.Writes();

    /// <summary>FMODE_PATH (an O_PATH open).</summary>
    public bool IsPathOnly => (Flags & OpenFlags.O_PATH) != 0;
}
