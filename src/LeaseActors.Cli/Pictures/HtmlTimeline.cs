using System.Globalization;
using System.Text;
using LeaseActors.Judging;
using static LeaseActors.Cli.Pictures.Html;

namespace LeaseActors.Cli.Pictures;

/// <summary>
/// A run as a self-contained HTML page: the verdict, the worst slack and one sentence per break in the header, then an
/// inline SVG with a lane per process (and its handlers) and per kernel object, blocked calls as bars, the break
/// deadline as a vertical line, region teardowns marked, signals, faults and findings as symbols, fd passing and
/// signal delivery as arrows, a legend, and details on hover. The text timeline follows, folded.
/// </summary>
internal static class HtmlTimeline
{
    private const double Left = 230, Width = 1000, Right = 80, LaneHeight = 46, Top = 44;

    public static string Page(RunPicture picture, string description)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var r = picture.Report;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(r.Topology)} — policy {E(r.Policy)}, seed {r.Seed}</h1>\n");
        if (!string.IsNullOrWhiteSpace(description)) body.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{E(description.Trim())}</p>\n");
        body.Append(Fragment(picture));
        var text = new StringWriter();
        Output.Timeline.Write(text, r, "");
        body.Append(CultureInfo.InvariantCulture, $"<details><summary>the run as text (<code>leaseactors run</code>)</summary><pre>{E(text.ToString())}</pre></details>\n");
        return Html.Page($"{r.Topology} — {r.Verdict.Name()}", body.ToString());
    }

    /// <summary>The header, the SVG and the legend, for a page of its own or inside a campaign report.</summary>
    public static string Fragment(RunPicture picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var r = picture.Report;
        var sb = new StringBuilder();
        var slack = r.WorstSlackMs;
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"header\"><span class=\"verdict verdict-{E(r.Verdict.Name())}\" id=\"verdict\">verdict: {E(r.Verdict.Name())}</span>");
        sb.Append(CultureInfo.InvariantCulture, $"<span class=\"slack{(slack < 0 ? " neg" : "")}\" id=\"slack\">worst slack: {(slack is { } s ? RunPicture.Duration(s) : "n/a (no deadline)")}</span>");
        sb.Append(CultureInfo.InvariantCulture, $"<span class=\"meta\"> · ended by {E(r.EndedBy)} at {RunPicture.Duration(r.VirtualTimeMs)} · {r.Events} events</span></div>\n");
        if (picture.Headlines.Count > 0)
        {
            sb.Append("<ul class=\"headlines\" id=\"headlines\">\n");
            foreach (var h in picture.Headlines) sb.Append(CultureInfo.InvariantCulture, $"<li>{E(h)}</li>\n");
            sb.Append("</ul>\n");
        }
        if (!r.Findings.IsEmpty)
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">findings: {E(string.Join("; ", r.Findings.Select(f => $"{f.Id} — {f.Detail}")))}</p>\n");
        sb.Append(Svg(picture));
        sb.Append(Legend());
        return sb.ToString();
    }

    private static string Svg(RunPicture picture)
    {
        var tracks = picture.Tracks;
        var lane = tracks.Select((t, i) => (t.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var view = picture.ViewEndMs;
        var height = Top + tracks.Count * LaneHeight + 30;
        double X(double ms) => Left + Math.Clamp(ms, 0, view) / view * Width;
        double Y(string track) => Top + lane[track] * LaneHeight;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {N(Left + Width + Right)} {N(height)}\" width=\"{N(Left + Width + Right)}\" height=\"{N(height)}\" role=\"img\" aria-label=\"timeline of the run\">\n");
        sb.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1565c0\"/></marker>");
        sb.Append("<marker id=\"arrow-fd\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6a1b9a\"/></marker></defs>\n");

        // Lanes.
        foreach (var t in tracks)
        {
            var y = Y(t.Id);
            var kernel = t.Kind is not (TrackKind.Process or TrackKind.Thread or TrackKind.Handler);
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"lane lane-{t.Kind.ToString().ToLowerInvariant()}\" data-track=\"{E(t.Id)}\">");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(Left)}\" y=\"{N(y + 2)}\" width=\"{N(Width)}\" height=\"{N(LaneHeight - 4)}\" fill=\"{(lane[t.Id] % 2 == 0 ? "#f7f9fb" : "#fff")}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Left - 8)}\" y=\"{N(y + LaneHeight / 2 + 4)}\" text-anchor=\"end\" class=\"lane-name{(kernel ? " lane-kernel" : "")}\">{E(Shorten(t.Name, 32))}<title>{E(t.Name)}</title></text>");
            sb.Append("</g>\n");
        }

        // Time axis.
        var step = NiceStep(view / 8);
        for (double tick = 0; tick <= view + 1e-9; tick += step)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(tick))}\" x2=\"{N(X(tick))}\" y1=\"{N(Top - 4)}\" y2=\"{N(height - 26)}\" stroke=\"#e2e6ea\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{N(X(tick))}\" y=\"{N(height - 10)}\" text-anchor=\"middle\">{E(RunPicture.Duration(tick))}</text>\n");
        }
        if (picture.ViewEndMs < picture.EndMs)
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{N(Left + Width + 4)}\" y=\"{N(height - 10)}\">… {E(RunPicture.Duration(picture.EndMs))}</text>\n");

        // Spans: outer first, so the breaking part draws over the lease.
        foreach (var s in picture.Spans.OrderBy(s => s.Depth))
        {
            var y = Y(s.Track);
            var x1 = X(s.StartMs);
            var x2 = X(s.EndMs);
            var w = Math.Max(x2 - x1, 2);
            var (fill, inset) = s.Style switch
            {
                "blocked" => ("#d32f2f", 8.0),
                "syscall" => ("#90a4ae", 14.0),
                "lease" => ("#66bb6a", 8.0),
                "breaking" => ("#ff9800", 14.0),
                "handler" => ("#1e88e5", 10.0 + 4 * s.Depth),
                "region" => ("#8e24aa", 8.0),
                _ => ("#999", 10.0),
            };
            var label = s.Style switch
            {
                "blocked" => $"{s.Name} blocked {RunPicture.Duration(s.EndMs - s.StartMs)}{(s.Open ? "+" : "")}",
                "syscall" => "",
                _ => s.Name,
            };
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"span span-{s.Style}\" data-detail=\"{E(s.Detail)}\"><rect x=\"{N(x1)}\" y=\"{N(y + inset)}\" width=\"{N(w)}\" height=\"{N(LaneHeight - 2 * inset)}\" rx=\"3\" fill=\"{fill}\"/>");
            if (label.Length > 0 && w > label.Length * 6.5 + 8)
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-label\" x=\"{N(x1 + 6)}\" y=\"{N(y + LaneHeight / 2 + 4)}\">{E(label)}</text>");
            if (s.EndMs > picture.ViewEndMs)
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{N(Left + Width + 4)}\" y=\"{N(y + LaneHeight / 2 + 4)}\">→ {E(RunPicture.Duration(s.EndMs))}</text>");
            sb.Append("</g>\n");
        }

        // Deadlines: a vertical line across every lane.
        foreach (var d in picture.Deadlines.GroupBy(d => d.Ms).Select(g => g.First()))
        {
            var offScale = d.Ms > view;
            var x = offScale ? Left + Width + 6 : X(d.Ms);
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"deadline-mark\" data-detail=\"{E($"{d.Name}: {RunPicture.Ms(d.Ms)} ms")}\"><line class=\"deadline\" x1=\"{N(x)}\" x2=\"{N(x)}\" y1=\"{N(Top - 14)}\" y2=\"{N(height - 26)}\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(Top - 18)}\" text-anchor=\"{(offScale ? "end" : "middle")}\" fill=\"#c62828\" style=\"fill:#c62828;font-weight:600\">deadline {E(RunPicture.Duration(d.Ms))}{(offScale ? " (off scale) →" : "")}</text></g>\n");
        }

        // Flows: arrows from one lane to another.
        foreach (var f in picture.Flows)
        {
            double x1 = X(f.FromMs), y1 = Y(f.FromTrack) + LaneHeight / 2, x2 = X(f.ToMs), y2 = Y(f.ToTrack) + LaneHeight / 2;
            if (Math.Abs(x2 - x1) < 1) x2 = x1 + 0.01;
            var bend = x1 + Math.Max(18, (x2 - x1) / 2);
            var color = f.Kind == "fd" ? "#6a1b9a" : "#1565c0";
            sb.Append(CultureInfo.InvariantCulture, $"<path class=\"flow flow-{f.Kind}\" d=\"M{N(x1)},{N(y1)} C{N(bend)},{N(y1)} {N(bend)},{N(y2)} {N(x2)},{N(y2)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" marker-end=\"url(#{(f.Kind == "fd" ? "arrow-fd" : "arrow")})\" data-detail=\"{E(f.Name)}\"/>\n");
        }

        // Instants, nudged apart when several fall on the same spot of a lane.
        var used = new Dictionary<(string, int), int>();
        foreach (var i in picture.Instants)
        {
            var baseX = X(i.Ms);
            var key = (i.Track, (int)Math.Round(baseX / 4));
            var k = used.GetValueOrDefault(key);
            used[key] = k + 1;
            var x = baseX + k * 11;
            var y = Y(i.Track) + LaneHeight / 2;
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"instant instant-{i.Style}\" data-detail=\"{E(i.Detail)}\">{Symbol(i.Style, x, y, i.Name)}</g>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Symbol(string style, double x, double y, string name) => style switch
    {
        "signal-sent" => $"<path d=\"M{N(x - 5)},{N(y - 6)} L{N(x + 5)},{N(y)} L{N(x - 5)},{N(y + 6)} z\" fill=\"#1565c0\"/>",
        "signal-delivered" => $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"6\" fill=\"#1565c0\" stroke=\"#fff\"/>",
        "signal-lost" => Cross(x, y, "#c62828") + $"<text x=\"{N(x + 9)}\" y=\"{N(y - 8)}\" style=\"fill:#c62828;font-weight:600\">signal lost</text>",
        "never-signalled" => Cross(x, y, "#c62828") + $"<text class=\"note\" x=\"{N(x + 9)}\" y=\"{N(y + 5)}\" style=\"fill:#c62828\">never got the break signal</text>",
        "exit" => $"<rect x=\"{N(x - 1.5)}\" y=\"{N(y - 12)}\" width=\"3\" height=\"24\" fill=\"#263238\"/><text x=\"{N(x + 5)}\" y=\"{N(y - 10)}\" class=\"tick\">{E(name)}</text>",
        "fault" => $"<path d=\"M{N(x + 2)},{N(y - 10)} L{N(x - 5)},{N(y + 1)} L{N(x)},{N(y + 1)} L{N(x - 2)},{N(y + 10)} L{N(x + 5)},{N(y - 2)} L{N(x)},{N(y - 2)} z\" fill=\"#f9a825\" stroke=\"#6d4c00\" stroke-width=\".6\"/>",
        "finding" => $"<path d=\"M{N(x)},{N(y - 8)} L{N(x + 8)},{N(y)} L{N(x)},{N(y + 8)} L{N(x - 8)},{N(y)} z\" fill=\"#fdd835\" stroke=\"#6d4c00\"/><text x=\"{N(x)}\" y=\"{N(y + 20)}\" text-anchor=\"middle\" class=\"tick\">{E(name)}</text>",
        "kill" => Cross(x, y, "#263238") + $"<text x=\"{N(x + 9)}\" y=\"{N(y - 8)}\" class=\"tick\">killed</text>",
        "refused" => $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"7\" fill=\"none\" stroke=\"#ef6c00\" stroke-width=\"2\"/><line x1=\"{N(x - 5)}\" y1=\"{N(y + 5)}\" x2=\"{N(x + 5)}\" y2=\"{N(y - 5)}\" stroke=\"#ef6c00\" stroke-width=\"2\"/>",
        "teardown" => $"<line class=\"teardown\" x1=\"{N(x)}\" x2=\"{N(x)}\" y1=\"{N(y - 18)}\" y2=\"{N(y + 18)}\" stroke=\"#4a148c\" stroke-width=\"3\"/><text x=\"{N(x + 5)}\" y=\"{N(y - 10)}\" class=\"tick\" style=\"fill:#4a148c\">torn down</text>",
        _ => $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"3.5\" fill=\"#607d8b\"/>",
    };

    private static string Cross(double x, double y, string color) =>
        $"<path d=\"M{N(x - 6)},{N(y - 6)} L{N(x + 6)},{N(y + 6)} M{N(x - 6)},{N(y + 6)} L{N(x + 6)},{N(y - 6)}\" stroke=\"{color}\" stroke-width=\"3\" stroke-linecap=\"round\"/>";

    private static string Legend()
    {
        static string Swatch(string inner) => $"<svg width=\"26\" height=\"16\" viewBox=\"0 0 26 16\">{inner}</svg>";
        static string Bar(string color) => Swatch($"<rect x=\"1\" y=\"3\" width=\"24\" height=\"10\" rx=\"2\" fill=\"{color}\"/>");
        var items = new (string Swatch, string Text)[]
        {
            (Bar("#d32f2f"), "syscall blocked"),
            (Bar("#90a4ae"), "syscall (returned at once)"),
            (Bar("#66bb6a"), "lease held"),
            (Bar("#ff9800"), "lease breaking"),
            (Bar("#1e88e5"), "signal handler running"),
            (Bar("#8e24aa"), "RDMA region registered"),
            (Swatch("<line x1=\"13\" x2=\"13\" y1=\"0\" y2=\"16\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"), "break / layout-change deadline"),
            (Swatch("<line x1=\"13\" x2=\"13\" y1=\"0\" y2=\"16\" stroke=\"#4a148c\" stroke-width=\"3\"/>"), "region torn down"),
            (Swatch("<path d=\"M8,2 L18,8 L8,14 z\" fill=\"#1565c0\"/>"), "signal sent"),
            (Swatch("<circle cx=\"13\" cy=\"8\" r=\"6\" fill=\"#1565c0\"/>"), "signal delivered"),
            (Swatch(Cross(13, 8, "#c62828")), "signal lost / never signalled"),
            (Swatch("<path d=\"M2,8 C12,8 12,8 24,8\" stroke=\"#1565c0\" stroke-width=\"1.6\" fill=\"none\" marker-end=\"url(#arrow)\"/>"), "signal delivery"),
            (Swatch("<path d=\"M2,8 L24,8\" stroke=\"#6a1b9a\" stroke-width=\"1.6\" fill=\"none\" marker-end=\"url(#arrow-fd)\"/>"), "fd passed (SCM_RIGHTS)"),
            (Swatch("<path d=\"M15,1 L8,9 L13,9 L11,15 L18,6 L13,6 z\" fill=\"#f9a825\"/>"), "injected fault"),
            (Swatch("<path d=\"M13,1 L20,8 L13,15 L6,8 z\" fill=\"#fdd835\" stroke=\"#6d4c00\"/>"), "finding (hazard)"),
            (Swatch("<rect x=\"11.5\" y=\"1\" width=\"3\" height=\"14\" fill=\"#263238\"/>"), "process exits"),
        };
        var sb = new StringBuilder("<ul id=\"legend\">\n");
        foreach (var (swatch, text) in items) sb.Append(CultureInfo.InvariantCulture, $"<li>{swatch}{E(text)}</li>\n");
        sb.Append("</ul>\n<p class=\"meta\">Hover over anything for its details. Times are virtual.</p>\n");
        return sb.ToString();
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : "…" + s[^(max - 1)..];

    /// <summary>A tick step of 1, 2 or 5 times a power of ten near <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (raw <= 0) return 1;
        var p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }
}
