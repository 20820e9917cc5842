package io.pulse.api.json;

import io.pulse.engine.domain.InputLimits;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/vouchers/{code}/redeem}: who redeems, on an order of how much. */
public record RedemptionRequest(String userId, Double orderAmount) {

  /** Every problem with the request within {@code limits}, each naming its field. */
  public List<String> problems(InputLimits limits) {
    List<String> problems = new ArrayList<>();
    if (userId == null || userId.isBlank()) {
      problems.add("userId is required");
    }
    if (orderAmount == null) {
      problems.add("orderAmount is required");
    } else {
      limits.amountProblem("orderAmount", orderAmount).ifPresent(problems::add);
    }
    return problems;
  }
}
