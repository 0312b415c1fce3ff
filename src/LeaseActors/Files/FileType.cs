namespace LeaseActors.Files;

/// <summary>The file types the lease rules distinguish.</summary>
public enum FileType
{
    /// <summary>A regular file: the only type that can carry a lease.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A pipe (FIFO).</summary>
    Pipe,
    /// <summary>One end of a unix socket pair.</summary>
    Socket,
    /// <summary>An RDMA device context (<c>/dev/infiniband/uverbs0</c>, <c>ibv_open_device</c>): it owns memory regions.</summary>
    VerbsContext,
}
