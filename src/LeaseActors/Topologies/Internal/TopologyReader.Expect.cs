using System.Collections.Immutable;
using LeaseActors.Signals;

namespace LeaseActors.Topologies.Internal;

internal sealed partial class TopologyReader
{
    private static readonly string[] StepExpectationKeys = ["result", "value", "errno", "blocked", "completes"];

    /// <summary>
    /// The <c>expect</c> block: an unkeyed part (verdict, findings, process blocks) and blocks keyed by policy name,
    /// read after every process and label is known.
    /// </summary>
    private ImmutableDictionary<string, Expectation> ReadExpect(HoconNode node)
    {
        Object(node, "expect { verdict = …, Process.label { … } }");
        var result = ImmutableDictionary.CreateBuilder<string, Expectation>(StringComparer.Ordinal);
        var unkeyed = ReadExpectation(node, result);
        if (unkeyed is not null) result[Expectation.Unkeyed] = unkeyed;
        return result.ToImmutable();
    }

    /// <summary>One expectation block; <paramref name="policyBlocks"/> collects nested policy blocks (null inside one: they do not nest).</summary>
    private Expectation? ReadExpectation(HoconNode node, ImmutableDictionary<string, Expectation>.Builder? policyBlocks)
    {
        string? verdict = null;
        ImmutableArray<string>? findings = null;
        var steps = ImmutableArray.CreateBuilder<StepExpectation>();
        var signals = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        var stated = false;
        foreach (var (key, child) in node.Fields)
        {
            if (key == "verdict")
            {
                verdict = _values.Scalar(child, "a verdict");
                if (!KnownNames.Verdicts.Contains(verdict))
                    throw Error(child.Path, $"expected a verdict ({string.Join(", ", KnownNames.Verdicts)}), got {child.Describe()}");
                stated = true;
            }
            else if (key == "findings")
            {
                findings = ReadFindings(child);
                stated = true;
            }
            else if (KnownNames.Policies.Contains(key))
            {
                if (policyBlocks is null) throw Error(child.Path, $"policy blocks do not nest: `{key}` inside a policy's expect block; move it to expect.{key}");
                Object(child, $"an expect block for policy {key} {{ verdict = …, Process.label {{ … }} }}");
                policyBlocks[key] = ReadExpectation(child, null) ?? new Expectation();
            }
            else if (_processes.TryGetValue(key, out var process))
            {
                Object(child, $"an expect block for process {key} {{ label {{ result = ok }}, signals = [ … ] }}");
                foreach (var (entry, value) in child.Fields)
                {
                    if (entry == "signals")
                    {
                        // An exact list in order: the same signal may come twice.
                        var items = _values.List(value, "the list of signals the process gets, in order, such as [SIGIO]");
                        signals[key] = [.. items.Select(item => Sig.Name(_values.Signal(item)))];
                    }
                    else if (process.Labels.ContainsKey(entry))
                    {
                        steps.Add(ReadStepExpectation(key, entry, value));
                    }
                    else
                    {
                        throw Error(value.Path, $"process {key} has no step labelled `{entry}`; expected signals or one of its labels ({List(process.Labels.Keys)})");
                    }
                }
                stated = true;
            }
            else
            {
                throw Error(child.Path, $"unknown key `{key}` in expect; expected verdict, findings, a process ({List(_processes.Keys)}) or a policy ({string.Join(", ", KnownNames.Policies)})");
            }
        }
        return stated
            ? new Expectation { Verdict = verdict, Findings = findings, Steps = steps.ToImmutable(), Signals = signals.ToImmutable() }
            : null;
    }

    private ImmutableArray<string> ReadFindings(HoconNode node)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var item in _values.List(node, "a list of finding ids such as [H2, H3]"))
        {
            var id = _values.Scalar(item, "a finding id such as H3").ToUpperInvariant();
            if (!KnownNames.Findings.Contains(id))
                throw Error(item.Path, $"expected a finding id ({string.Join(", ", KnownNames.Findings)}), got {item.Describe()}");
            if (result.Contains(id)) throw Error(item.Path, $"{id} is listed twice");
            result.Add(id);
        }
        return result.ToImmutable();
    }

    /// <summary><c>{ result = ok|error, value = n, errno = EAGAIN, blocked = 45s, completes = false }</c>.</summary>
    private StepExpectation ReadStepExpectation(string process, string label, HoconNode node)
    {
        Fields(node, $"the expectation of {process}.{label}", StepExpectationKeys);
        bool? ok = null;
        if (node.Field("result") is { } r)
        {
            ok = _values.Scalar(r, "ok or error") switch
            {
                "ok" => true,
                "error" => false,
                _ => throw Error(r.Path, $"expected ok or error, got {r.Describe()}"),
            };
        }
        long? value = node.Field("value") is { } v ? _values.Long(v, "the step's return value (an integer)") : null;
        string? errno = null;
        if (node.Field("errno") is { } e)
        {
            var text = _values.Scalar(e, "an errno name such as EAGAIN");
            errno = text switch
            {
                "EWOULDBLOCK" => nameof(Errno.EAGAIN),
                "EDEADLOCK" => nameof(Errno.EDEADLK),
                _ when text != nameof(Errno.None) && Enum.GetNames<Errno>().Contains(text, StringComparer.Ordinal) => text,
                _ => throw Error(e.Path, $"expected an errno name ({string.Join(", ", Enum.GetNames<Errno>().Where(n => n != nameof(Errno.None)))}), got {e.Describe()}"),
            };
            if (ok == true) throw Error(e.Path, "a step expected to succeed (result = ok) has no errno; expected result = error or no errno");
            ok = false;
        }
        if (value is not null)
        {
            if (ok == false) throw Error(node.Field("value")!.Path, "a step expected to fail has no return value; expected result = ok or no value");
            ok = true;
        }
        TimeSpan? blocked = node.Field("blocked") is { } b ? _values.Duration(b) : null;
        var completes = node.Field("completes") is not { } c || _values.Bool(c);
        if (!completes && (ok is not null || blocked is not null))
            throw Error(node.Field("completes")!.Path, "a step that never completes has no result, errno, value or blocked time; expected completes = false alone");
        return new StepExpectation(process, label) { Ok = ok, Value = value, Errno = errno, Blocked = blocked, Completes = completes };
    }
}
