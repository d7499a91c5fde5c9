package org.learninganalytics.http.aggregates;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.learninganalytics.db.aggregates.PeerComparison;
import org.learninganalytics.db.aggregates.PeerFigures;
import org.learninganalytics.db.aggregates.SkillDemand;
import org.learninganalytics.db.aggregates.SkillDemandFigures;
import org.learninganalytics.db.aggregates.SkillDemandPage;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Items;
import org.learninganalytics.http.internal.Params;

import io.javalin.http.Context;

/**
 * "Me versus my peers", skill demand (the caller's organization and platform-wide) and their
 * refresh. Only published figures of at least 10 learners reach a response.
 */
public final class AggregatesController {

    /** Skill ids are short slugs; anything longer cannot be one. */
    private static final int MAX_SKILL_ID = 200;

    private final Callers callers;

    public AggregatesController(Callers callers) {
        this.callers = callers;
    }

    record MeJson(BigDecimal meanMastery, BigDecimal velocity, BigDecimal avgScore) {
    }

    record BandJson(int atLeast, Integer atMost) {
    }

    record PeersJson(BandJson learners, BigDecimal avgVelocity, BigDecimal medianVelocity, BigDecimal avgScore, Instant valuesAsOf) {
        static PeersJson of(PeerFigures f) {
            return f == null ? null : new PeersJson(new BandJson(f.learnersAtLeast(), f.learnersAtMost()), f.avgVelocity(),
                    f.medianVelocity(), f.avgScore(), f.valuesAsOf());
        }
    }

    record PeerComparisonJson(PeerComparison.Status status, String level, MeJson me, PeersJson peers, Instant refreshedAt) {
    }

    public void peerComparison(Context ctx) {
        PeerComparison comparison = callers.user(ctx).aggregates().peerComparison();
        ctx.header("Cache-Control", "private, no-cache");
        ctx.json(new PeerComparisonJson(comparison.status(), comparison.level() == null ? null : comparison.level().sqlName(),
                new MeJson(comparison.myMeanMastery(), comparison.myVelocity(), comparison.myAvgScore()),
                PeersJson.of(comparison.peers()), comparison.refreshedAt()));
    }

    record FiguresJson(int learnersAssessed, BigDecimal meanMastery, BigDecimal growthPercent) {
        static FiguresJson of(SkillDemandFigures f) {
            return f == null ? null : new FiguresJson(f.learnersAssessed(), f.meanMastery(), f.growthPercent());
        }
    }

    record DemandJson(String skillId, String skillName, String month, FiguresJson organization, FiguresJson platform) {
        static DemandJson of(SkillDemand d) {
            return new DemandJson(d.skillId(), d.skillName(), d.month().toString(), FiguresJson.of(d.organization()),
                    FiguresJson.of(d.platform()));
        }
    }

    record DemandPageJson(Instant refreshedAt, List<DemandJson> items, String nextCursor) {
    }

    public void skillDemand(Context ctx) {
        String skillId = ctx.queryParam("skillId");
        if (skillId != null && (skillId.isBlank() || skillId.length() > MAX_SKILL_ID)) {
            throw ApiException.invalid("/query/skillId", "a skill id of 1 to " + MAX_SKILL_ID + " characters");
        }
        SkillDemandPage page = callers.user(ctx).aggregates().skillDemand(skillId, Params.limit(ctx), Params.cursor(ctx));
        ctx.header("Cache-Control", "private, no-cache");
        ctx.json(new DemandPageJson(page.refreshedAt(), page.items().stream().map(DemandJson::of).toList(), page.nextCursor()));
    }

    record RefreshJson(String aggregate, long durationMs) {
    }

    /** POST /v1/admin/aggregates/refresh: both, or the one {@code aggregate} names. */
    public void refresh(Context ctx) {
        String aggregate = ctx.queryParam("aggregate");
        List<String> names = aggregate == null || aggregate.isEmpty() ? List.of("peer-comparison", "skill-demand") : List.of(aggregate);
        List<RefreshJson> done = new ArrayList<>();
        for (String name : names) {
            var refresh = callers.system(ctx).aggregates();
            Duration took = switch (name) {
                case "peer-comparison" -> refresh.refreshPeerComparison();
                case "skill-demand" -> refresh.refreshSkillDemand();
                default -> throw ApiException.invalid("/query/aggregate", "aggregate must be peer-comparison or skill-demand");
            };
            done.add(new RefreshJson(name, took.toMillis()));
        }
        ctx.json(new Items<>(done));
    }
}
