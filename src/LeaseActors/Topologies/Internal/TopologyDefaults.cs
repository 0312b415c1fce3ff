using System.Collections.Immutable;
using LeaseActors.Files;

namespace LeaseActors.Topologies.Internal;

/// <summary>
/// The defaults of topology files, bound in one place from the embedded reference config
/// (<c>Topologies/topology-reference.conf</c>): what a topology gets for every value it leaves out.
/// </summary>
internal sealed record TopologyDefaults
{
    /// <summary>The logical name of the embedded reference config.</summary>
    public const string ResourceName = "LeaseActors.Topologies.topology-reference.conf";

    /// <summary><c>horizon</c>: 1 h.</summary>
    public required TimeSpan Horizon { get; init; }

    /// <summary><c>sysctl.lease-break-time</c>: 45 s.</summary>
    public required TimeSpan LeaseBreakTime { get; init; }

    /// <summary><c>sysctl.leases-enable</c>: true.</summary>
    public required bool LeasesEnable { get; init; }

    /// <summary><c>files.*.size</c>: 4096 bytes.</summary>
    public required long FileSize { get; init; }

    /// <summary><c>files.*.type</c>: regular.</summary>
    public required FileType FileType { get; init; }

    /// <summary><c>files.*.owner</c>: uid 0.</summary>
    public required int FileOwner { get; init; }

    /// <summary><c>files.*.dax</c>: false.</summary>
    public required bool FileDax { get; init; }

    /// <summary><c>processes.*.uid</c>: 0 (root, with CAP_LEASE).</summary>
    public required int ProcessUid { get; init; }

    /// <summary>A handler's <c>takes</c>: 0.</summary>
    public required TimeSpan HandlerTakes { get; init; }

    /// <summary>A handler's <c>restart</c> (SA_RESTART): false.</summary>
    public required bool HandlerRestart { get; init; }

    /// <summary>A handler's <c>siginfo</c> (SA_SIGINFO): true.</summary>
    public required bool HandlerSigInfo { get; init; }

    /// <summary>An open step's <c>flags</c>: O_RDONLY.</summary>
    public required OpenFlags OpenFlags { get; init; }

    /// <summary>A truncate step's <c>length</c>: 0.</summary>
    public required long TruncateLength { get; init; }

    /// <summary>An ftruncate step's <c>length</c>: 0.</summary>
    public required long FtruncateLength { get; init; }

    /// <summary>A write step's <c>bytes</c>: 1.</summary>
    public required long WriteBytes { get; init; }

    /// <summary>An mmap step's <c>shared</c> (MAP_SHARED): true.</summary>
    public required bool MmapShared { get; init; }

    /// <summary>The defaults read from the embedded reference config.</summary>
    public static TopologyDefaults Reference => LazyReference.Value;

    /// <summary>The reference config's text.</summary>
    public static string ReferenceText => Resources.Read(ResourceName);

    private static readonly Lazy<TopologyDefaults> LazyReference = new(() => Bind(ReferenceText, "(reference config)"));

    /// <summary>Binds defaults from a reference config's text (every key required).</summary>
    internal static TopologyDefaults Bind(string text, string source)
    {
        var values = new ValueReader(source);
        var root = HoconReader.Read(text, source);
        HoconNode At(string path)
        {
            var node = root;
            foreach (var part in path.Split('.'))
                node = node.Field(part) ?? throw values.Error(path, "the reference config lacks this default");
            return node;
        }
        return new TopologyDefaults
        {
            Horizon = values.Duration(At("horizon")),
            LeaseBreakTime = values.Duration(At("sysctl.lease-break-time")),
            LeasesEnable = values.Bool(At("sysctl.leases-enable")),
            FileSize = values.Size(At("file.size")),
            FileType = Vocabulary.FileTypeOf(values, At("file.type")),
            FileOwner = values.Int(At("file.owner"), "a uid (0 or more)", 0),
            FileDax = values.Bool(At("file.dax")),
            ProcessUid = values.Int(At("process.uid"), "a uid (0 or more)", 0),
            HandlerTakes = values.Duration(At("handler.takes")),
            HandlerRestart = values.Bool(At("handler.restart")),
            HandlerSigInfo = values.Bool(At("handler.siginfo")),
            OpenFlags = Vocabulary.OpenFlagsOf(values, At("step.open.flags")),
            TruncateLength = values.Size(At("step.truncate.length")),
            FtruncateLength = values.Size(At("step.ftruncate.length")),
            WriteBytes = values.Size(At("step.write.bytes")),
            MmapShared = values.Bool(At("step.mmap.shared")),
        };
    }
}
