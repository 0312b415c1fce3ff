using System.Globalization;
using LeaseActors.Files;
using LeaseActors.Leases;
using LeaseActors.Processes;

namespace LeaseActors.Topologies.Internal;

/// <summary>The Linux names a topology spells constants with: open flags, file types, lease types, owner types, mask operations.</summary>
internal static class Vocabulary
{
    private static readonly string[] FlagNames = [.. Enum.GetNames<OpenFlags>()];

    /// <summary><c>regular</c>, <c>directory</c> or <c>pipe</c>.</summary>
    public static FileType FileTypeOf(ValueReader values, HoconNode node) =>
        values.Scalar(node, "regular, directory or pipe") switch
        {
            "regular" => FileType.Regular,
            "directory" => FileType.Directory,
            "pipe" => FileType.Pipe,
            _ => throw values.Error(node.Path, $"expected regular, directory or pipe, got {node.Describe()}"),
        };

    /// <summary>A list of open flags (<c>[O_RDWR, O_NONBLOCK]</c>) or one flag; at most one access mode.</summary>
    public static OpenFlags OpenFlagsOf(ValueReader values, HoconNode node)
    {
        var items = node.Kind == HoconNodeKind.List ? node.Items : [node];
        var flags = OpenFlags.O_RDONLY;
        string? accessMode = null;
        foreach (var item in items)
        {
            var name = values.Scalar(item, "open flags such as [O_RDWR, O_NONBLOCK]");
            if (!FlagNames.Contains(name, StringComparer.Ordinal))
                throw values.Error(item.Path, $"expected an open flag ({string.Join(", ", FlagNames)}), got {item.Describe()}");
            if (name is nameof(OpenFlags.O_RDONLY) or nameof(OpenFlags.O_WRONLY) or nameof(OpenFlags.O_RDWR))
            {
                if (accessMode is not null) throw values.Error(item.Path, $"expected one access mode, got {accessMode} and {name}");
                accessMode = name;
            }
            flags |= Enum.Parse<OpenFlags>(name);
        }
        return flags;
    }

    /// <summary>An F_SETLEASE argument: F_RDLCK, F_WRLCK, F_UNLCK or any integer (the kernel answers EINVAL to others).</summary>
    public static int LeaseArgOf(ValueReader values, HoconNode node)
    {
        const string Expected = "F_RDLCK, F_WRLCK, F_UNLCK or an integer";
        var text = values.Scalar(node, Expected);
        switch (text)
        {
            case nameof(LeaseType.F_RDLCK): return (int)LeaseType.F_RDLCK;
            case nameof(LeaseType.F_WRLCK): return (int)LeaseType.F_WRLCK;
            case nameof(LeaseType.F_UNLCK): return (int)LeaseType.F_UNLCK;
            case "F_LAYOUT": return Leases.LeaseList.LayoutArg;
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return number;
        throw values.Error(node.Path, $"expected {Expected}, got {node.Describe()}");
    }

    /// <summary>F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP.</summary>
    public static OwnerKind OwnerKindOf(ValueReader values, HoconNode node) =>
        values.Scalar(node, "F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP") switch
        {
            "F_OWNER_TID" => OwnerKind.F_OWNER_TID,
            "F_OWNER_PID" => OwnerKind.F_OWNER_PID,
            "F_OWNER_PGRP" => OwnerKind.F_OWNER_PGRP,
            _ => throw values.Error(node.Path, $"expected F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP, got {node.Describe()}"),
        };

    /// <summary>SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK.</summary>
    public static MaskHow MaskHowOf(ValueReader values, HoconNode node) =>
        values.Scalar(node, "SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK") switch
        {
            "SIG_BLOCK" => MaskHow.SIG_BLOCK,
            "SIG_UNBLOCK" => MaskHow.SIG_UNBLOCK,
            "SIG_SETMASK" => MaskHow.SIG_SETMASK,
            _ => throw values.Error(node.Path, $"expected SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK, got {node.Describe()}"),
        };
}
