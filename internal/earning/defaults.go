package earning

import (
	"context"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Indicator codes of the default catalogue that earning itself relies on.
const (
	VolunteerHours        = "volunteer_hours"
	ServiceEvents         = "service_events"
	CommunityActivities   = "community_activities"
	NeighbourhoodUpkeep   = "neighbourhood_upkeep"
	MediationHelp         = "mediation_help"
	SuggestionAdopted     = "suggestion_adopted"
	SuggestionImplemented = "suggestion_implemented"
	Consultation          = "democratic_consultation"
)

// DefaultCategories and DefaultIndicators are the catalogue a new community
// starts from. They are editable examples, modelled on Chunjiang's scheme
// (volunteer service at 1 point an hour; suggestions up to 100 points): each
// community changes rules, caps and dates in the catalogue editor, and every
// change becomes a new rule version.
var DefaultCategories = []Category{
	{Code: "volunteer", NameZH: "志愿服务", NameEN: "Volunteer service", Position: 1},
	{Code: "activities", NameZH: "社区活动", NameEN: "Community activities", Position: 2},
	{Code: "suggestions", NameZH: "建言献策", NameEN: "Suggestions", Position: 3},
}

// DefaultIndicators: see DefaultCategories.
var DefaultIndicators = []Indicator{
	{Code: VolunteerHours, Category: "volunteer", Position: 1,
		NameZH: "志愿服务时长", NameEN: "Volunteer hours",
		DescZH: "每服务 1 小时得 1 分；不足一小时的分钟数结转累计，不会丢失。", DescEN: "1 point for each hour of service; leftover minutes carry forward and are never lost.",
		Rule: Rule{Kind: Hourly, Points: 1, CapDay: 8, CapMonth: 80}},
	{Code: ServiceEvents, Category: "volunteer", Position: 2,
		NameZH: "便民服务（义诊、理发等）", NameEN: "Service events (free clinics, haircuts)",
		DescZH: "在义诊、义剪等便民服务中帮忙，每小时 1 分。", DescEN: "Helping at free clinics, haircuts and similar events: 1 point an hour.",
		Rule: Rule{Kind: Hourly, Points: 1, CapDay: 8, CapMonth: 60}},
	{Code: CommunityActivities, Category: "activities", Position: 3,
		NameZH: "参加社区活动", NameEN: "Taking part in community activities",
		DescZH: "参加一次社区活动得固定积分。", DescEN: "A fixed award for taking part in a community activity.",
		Rule: Rule{Kind: Fixed, Points: 2, CapDay: 4, CapMonth: 20}},
	{Code: NeighbourhoodUpkeep, Category: "activities", Position: 4,
		NameZH: "环境维护（河边清洁等）", NameEN: "Neighbourhood upkeep (riverside clean-ups)",
		DescZH: "环境整治、河边清洁等，每小时 1 分。", DescEN: "Clean-ups of streets and the riverside: 1 point an hour.",
		Rule: Rule{Kind: Hourly, Points: 1, CapDay: 6, CapMonth: 40}},
	{Code: MediationHelp, Category: "activities", Position: 5,
		NameZH: "矛盾调解与邻里互助", NameEN: "Mediation and neighbour help",
		DescZH: "调解邻里纠纷、帮扶邻居，由社工核实后给分。", DescEN: "Settling disputes and helping neighbours, scored by a worker after checking.",
		Rule: Rule{Kind: Range, Min: 1, Max: 10, CapMonth: 30, Approval: true}},
	{Code: SuggestionAdopted, Category: "suggestions", Position: 6,
		NameZH: "金点子被采纳", NameEN: "Suggestion adopted",
		DescZH: "建议被社区采纳，社工按价值给 1–100 分。", DescEN: "A suggestion the community adopts: a worker awards 1–100 points by its value.",
		Rule: Rule{Kind: Range, Min: 1, Max: 100, CapYear: 300}},
	{Code: SuggestionImplemented, Category: "suggestions", Position: 7,
		NameZH: "金点子落地实施奖励", NameEN: "Suggestion implemented (bonus)",
		DescZH: "被采纳的建议落地实施后的额外奖励。", DescEN: "A bonus when an adopted suggestion is put into practice.",
		Rule: Rule{Kind: Range, Min: 1, Max: 50, CapYear: 150}},
	{Code: Consultation, Category: "suggestions", Position: 8,
		NameZH: "参与民主协商议事", NameEN: "Democratic consultation",
		DescZH: "参加居民议事会、听证会等协商议事。", DescEN: "Taking part in residents' councils and hearings.",
		Rule: Rule{Kind: Fixed, Points: 3, CapMonth: 9}},
}

// SeedDefaults gives a community the default catalogue, adding only what is
// missing, so running it twice changes nothing.
func (s *Service) SeedDefaults(ctx context.Context, communityID string) (err error) {
	defer civic.Wrap(&err, "earning.SeedDefaults(%s)", communityID)
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		for _, c := range DefaultCategories {
			if _, err := tx.Exec(ctx, `INSERT INTO earning_categories (community_id, code, name_zh, name_en, position)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (community_id, code) DO NOTHING`,
				communityID, c.Code, c.NameZH, c.NameEN, c.Position); err != nil {
				return err
			}
		}
		for _, in := range DefaultIndicators {
			if _, err := getIndicator(ctx, tx, communityID, in.Code); err == nil {
				continue
			} else if civic.ErrorCode(err) != civic.NotFound {
				return err
			}
			if _, err := saveIndicator(ctx, tx, civic.System, communityID, in, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
}
