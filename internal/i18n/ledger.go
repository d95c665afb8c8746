package i18n

func init() {
	Add(map[string][2]string{
		"ledger.account_closed":   {"居民 %s 已迁出本社区，积分账户已关闭", "Resident %s has left the community; their account is closed"},
		"ledger.account_changed":  {"居民 %s 的积分账户刚被其他操作修改，请重试", "The points account of resident %s changed meanwhile; please try again"},
		"ledger.already_reversed": {"流水 %s 已经冲正过，不能重复冲正", "Transfer %s has already been reversed"},
		"ledger.bad_kind":         {"未知的流水类型 %q", "Unknown transfer kind %q"},
		"ledger.dup_account":      {"账户 %s 在同一笔流水中出现两次", "Account %s appears twice in one transfer"},
		"ledger.few_postings":     {"一笔流水至少需要两条分录", "A transfer needs at least two postings"},
		"ledger.insufficient":     {"积分不足：当前余额 %d，需要 %d", "Not enough points: the balance is %d, %d needed"},
		"ledger.key_conflict":     {"幂等键 %q 已用于另一个不同的请求", "The Idempotency-Key %q was already used for a different request"},
		"ledger.key_long":         {"Idempotency-Key 超过 %d 个字符", "The Idempotency-Key is longer than %d characters"},
		"ledger.key_missing":      {"变动积分或库存的请求必须带 Idempotency-Key 请求头", "An Idempotency-Key header is required on requests that move points or stock"},
		"ledger.no_account":       {"居民 %s 没有积分账户", "Resident %s has no points account"},
		"ledger.no_community":     {"流水必须属于一个社区", "A transfer needs a community"},
		"ledger.no_reason":        {"必须填写原因", "A reason is required"},
		"ledger.no_transfer":      {"本社区没有流水 %s", "No transfer %s in this community"},
		"ledger.points_positive":  {"积分必须是大于零的整数，而不是 %d", "Points must be a whole number above zero, not %d"},
		"ledger.points_too_many":  {"%d 分超过单笔上限（%d 分）", "%d {point is|points are} more than the most one transfer may move (%d)"},
		"ledger.reverse_reversal": {"流水 %s 本身是冲正，不能再冲正", "Transfer %s is itself a reversal and cannot be reversed"},
		"ledger.unbalanced":       {"分录合计为 %d，不为零", "Postings sum to %d, not zero"},
		"ledger.zero_posting":     {"分录金额不能为零", "A posting of zero points"},
		"cli.token_id":            {"请给出令牌的 id：civicpoints token revoke --id ID（见 civicpoints token list）", "Give the token's id: civicpoints token revoke --id ID (see civicpoints token list)"},
		"bench.pattern":           {"--pattern 必须是 issuer 或 spread，而不是 %q", "--pattern must be issuer or spread, not %q"},
		"bench.exists":            {"压测需要一个新的空数据库；%s 已存在", "bench needs a scratch database; %s already exists"},
		"ledger.check_failed":     {"核对发现 %d 个问题", "Check found %d {problem|problems}"},

		"api.bad_json":        {"请求体不是预期的 JSON：%v", "The request body is not the expected JSON: %v"},
		"api.bad_limit":       {"limit 必须是 1 到 500 的整数，而不是 %q", "limit must be a whole number from 1 to 500, not %q"},
		"api.no_route":        {"没有此 API 操作：%s %s", "No API operation %s %s"},
		"api.no_token":        {"需要 Authorization: Bearer <令牌> 请求头", "An Authorization: Bearer <token> header is required"},
		"api.other_community": {"此令牌属于其他社区", "This token belongs to another community"},
		"api.required":        {"缺少 %s", "%s is required"},
		"api.role":            {"%s 令牌无权执行此操作", "A %s token may not do this"},
		"api.too_long":        {"%s 超过 %d 个字符", "%s is longer than %d characters"},
	})
}
