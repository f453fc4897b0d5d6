import { strict as assert } from "assert";
import { didYouMean, editDistance, Issues, parseIsoDuration, parseIsoInstant, show } from "../stacks/input/validate";

describe("stacks/validate", () => {
    it("parses ISO-8601 durations into seconds", () => {
        const cases: [string, number | undefined][] = [
            ["PT1H", 3600],
            ["PT90M", 5400],
            ["PT2H30M", 9000],
            ["PT5S", 5],
            ["P1D", 86400],
            ["PT12H", 43200],
            ["PT0S", undefined],
            ["P", undefined],
            ["PT", undefined],
            ["1H", undefined],
            ["PT1h", undefined],
            ["PT1H ", undefined],
            ["P1DT", undefined],
            ["PT-1H", undefined],
            [`PT${"9".repeat(50)}H`, undefined],
        ];
        for (const [s, want] of cases) assert.equal(parseIsoDuration(s), want, s);
    });

    it("parses ISO-8601 instants on real calendar dates only", () => {
        assert.equal(parseIsoInstant("2026-03-01")?.toISOString(), "2026-03-01T00:00:00.000Z");
        assert.equal(parseIsoInstant("2026-03-01T12:00:00+01:00")?.toISOString(), "2026-03-01T11:00:00.000Z");
        assert.equal(parseIsoInstant("2026-03-01T12:00Z")?.toISOString(), "2026-03-01T12:00:00.000Z");
        assert.equal(parseIsoInstant("2026-03-01T12:00:00.5-0230")?.toISOString(), "2026-03-01T14:30:00.500Z");
        assert.equal(parseIsoInstant("2028-02-29")?.toISOString(), "2028-02-29T00:00:00.000Z");
        for (const bad of [
            "2026-02-30",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-03-01T24:00:00Z",
            "2026-03-01T12:00:00",
            "2026-03-01T12:60Z",
            "03/01/2026",
            "2026-3-1",
            "",
            "x".repeat(100),
        ]) {
            assert.equal(parseIsoInstant(bad), undefined, bad);
        }
    });

    it("suggests near keys only", () => {
        assert.equal(didYouMean("grups", ["groups", "assignments"]), "groups");
        assert.equal(didYouMean("nmae", ["name", "id"]), "name");
        assert.equal(didYouMean("PermissionSet", ["permissionSet", "group"]), "permissionSet");
        assert.equal(didYouMean("zzzzzz", ["groups", "assignments"]), undefined);
        assert.equal(didYouMean("x".repeat(100_000), ["groups"]), undefined);
        assert.equal(editDistance("ab", "ba"), 1);
        assert.equal(editDistance("kitten", "sitting"), 3);
    });

    it("renders values short, in backticks, without throwing", () => {
        assert.equal(show("ou-1"), "`ou-1`");
        assert.equal(show(42), "`42`");
        assert.equal(show(undefined), "`undefined`");
        assert.ok(show("y".repeat(1e6)).length <= 82);
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        assert.equal(show(cyclic), "`{…}`");
        assert.equal(show("a`b"), "`a'b`");
    });

    it("formats issues with the path in backticks", () => {
        const issues = new Issues();
        issues.add("idfed:assignments[3].ous[0]", "`ou-1` is not an OU id");
        assert.deepEqual(issues.list, [
            { path: "idfed:assignments[3].ous[0]", message: "`idfed:assignments[3].ous[0]`: `ou-1` is not an OU id" },
        ]);
    });
});
