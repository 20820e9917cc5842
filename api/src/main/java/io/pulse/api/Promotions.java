package io.pulse.api;

import com.typesafe.config.Config;
import io.pulse.api.http.CampaignRoutes;
import io.pulse.api.http.HttpSettings;
import io.pulse.api.http.JsonResponses;
import io.pulse.api.http.VoucherRoutes;
import io.pulse.engine.model.ModelCatalogs;
import io.pulse.engine.promotion.CampaignDirectory;
import io.pulse.engine.promotion.CampaignEntity;
import io.pulse.engine.promotion.PromotionDelivery;
import io.pulse.engine.promotion.PromotionSettings;
import io.pulse.engine.promotion.VoucherCodeEntity;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.projection.PromotionProjection;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The promotion side of a node: the campaign, voucher-code and directory entities, the projection
 * that feeds them from the journal, and their routes.
 */
final class Promotions {

  private final CampaignRoutes campaignRoutes;
  private final VoucherRoutes voucherRoutes;

  private Promotions(CampaignRoutes campaignRoutes, VoucherRoutes voucherRoutes) {
    this.campaignRoutes = campaignRoutes;
    this.voucherRoutes = voucherRoutes;
  }

  static Promotions start(
      ActorSystem<?> system,
      Config config,
      DatabaseSettings database,
      ModelCatalogs catalogs,
      JsonResponses responses,
      HttpSettings http,
      Clock clock) {
    PromotionSettings settings = PromotionSettings.fromConfig(config);
    CampaignEntity.init(system, clock, settings);
    VoucherCodeEntity.init(system, clock);
    CampaignDirectory.init(system);
    PromotionProjection.init(system, database, new PromotionDelivery(system, settings));
    return new Promotions(
        new CampaignRoutes(system, catalogs, responses, http),
        new VoucherRoutes(system, responses, http, clock));
  }

  CampaignRoutes campaignRoutes() {
    return campaignRoutes;
  }

  VoucherRoutes voucherRoutes() {
    return voucherRoutes;
  }
}
