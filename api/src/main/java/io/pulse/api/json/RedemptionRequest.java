package io.pulse.api.json;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/vouchers/{code}/redeem}: who redeems, on an order of how much. */
public record RedemptionRequest(String userId, Double orderAmount) {

  /** Every problem with the request, each naming its field. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (userId == null || userId.isBlank()) {
      problems.add("userId is required");
    }
    if (orderAmount == null) {
      problems.add("orderAmount is required");
    } else if (!Double.isFinite(orderAmount) || orderAmount < 0) {
      problems.add("orderAmount must be a non-negative amount");
    }
    return problems;
  }
}
