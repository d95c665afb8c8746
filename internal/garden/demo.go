package garden

import (
	"context"
	"fmt"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// DemoSlug is the demo garden operator: 泉井边村 (后溪镇, 衢江区), whose idle
// sugar-cane fields hold a pumpkin expo and a shared vegetable garden.
const DemoSlug = "quanjingbian"

// DemoPhone is the demo family's (synthetic) phone number.
const DemoPhone = "13900001234"

// SeedDemoOperator makes the demo operator, or finds it.
func SeedDemoOperator(ctx context.Context, s *Service) (Operator, error) {
	return s.CreateOperator(ctx, civic.System, "demo-operator", CreateOperatorRequest{Slug: DemoSlug, Name: "泉井边村共享菜园", Place: "衢江区后溪镇泉井边村"})
}

var demoCrops = []Crop{
	{Name: "南瓜", MaturityDays: 110, WindowDays: 14, WaterEvery: 3, WeedEvery: 14, FeedEvery: 30, PestEvery: 21},
	{Name: "番茄", MaturityDays: 75, WindowDays: 10, WaterEvery: 2, WeedEvery: 10, FeedEvery: 20, PestEvery: 14},
	{Name: "黄瓜", MaturityDays: 60, WindowDays: 10, WaterEvery: 2, WeedEvery: 10, FeedEvery: 20, PestEvery: 14},
	{Name: "青菜", MaturityDays: 35, WindowDays: 7, WaterEvery: 2, WeedEvery: 10, PestEvery: 14},
	{Name: "玉米", MaturityDays: 90, WindowDays: 10, WaterEvery: 4, WeedEvery: 14, FeedEvery: 30},
}

// demoVarieties are the expo's 50 pumpkins; the first ten are giants.
var demoVarieties = []string{
	"大西洋巨人", "草原巨人", "巨型红南瓜", "蓝色巨人", "巨型白南瓜", "金色巨人", "巨型磨盘", "巨型牛腿", "巨型香芋", "巨型灯笼",
	"蜜本南瓜", "贝贝南瓜", "板栗南瓜", "红栗南瓜", "东升南瓜", "黄狼南瓜", "磨盘南瓜", "牛腿南瓜", "香芋南瓜", "奶油南瓜",
	"白玉南瓜", "灰姑娘", "鹅蛋南瓜", "飞碟南瓜", "佛手瓜南瓜", "橘瓣南瓜", "印第安南瓜", "鸳鸯南瓜", "青皮南瓜", "金瓜",
	"小丑南瓜", "瘤南瓜", "疙瘩南瓜", "条纹南瓜", "桔灯南瓜", "迷你红", "迷你白", "迷你绿", "皇冠南瓜", "葫芦南瓜",
	"蛇形南瓜", "锦绣南瓜", "花瓣南瓜", "雪花南瓜", "金星南瓜", "橙宝南瓜", "甜蜜宝", "香甜栗", "密瓣南瓜", "春江红",
}

var demoFamilies = []struct{ name, plate string }{
	{"李先生", "小李菜园"}, {"张女士", "番茄乐园"}, {"陈先生", "陈家小院"}, {"刘女士", "开心农场"},
	{"杨先生", "阳光一家"}, {"赵女士", "赵家园"}, {"黄先生", "小黄瓜"}, {"周女士", "周末农夫"},
}

// SeedDemo lays out the demo garden (a 6×10 grid of plots and the expo's 50
// pumpkin seedlings, 10 of them giants), its crops and season, and a season
// of adoptions in all three modes with their tasks, reminders and harvests,
// the demo family's (familyID) among them. It runs through the commands
// under fixed keys, and does nothing once the operator has gardens.
func SeedDemo(ctx context.Context, s *Service, op Operator, familyID string) (err error) {
	defer civic.Wrap(&err, "garden.SeedDemo")
	if gs, err := s.Gardens(ctx, op.ID); err != nil || len(gs) > 0 {
		return err
	}
	d := &demo{s: s, op: op, boss: civic.Actor{UserID: "demo", Name: "泉井边村菜园运营", Role: civic.RoleGardenOperator, CommunityID: op.ID},
		today: Today(s.Clock.Now())}
	for _, step := range []func(context.Context) error{d.layout, d.addCrops, d.addSeason, func(ctx context.Context) error { return d.families(ctx, familyID) },
		d.adoptions, d.history, d.events} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

type demo struct {
	s             *Service
	op            Operator
	boss          civic.Actor
	today         string
	plots, expo   []Plot
	crops         map[string]Crop
	season        Season
	family        string
	others        []string
	familyAdopted []Adoption
}

func (d *demo) key(format string, args ...any) idem.Key {
	return idem.Key("demo-" + fmt.Sprintf(format, args...))
}

func (d *demo) layout(ctx context.Context) error {
	g, err := d.s.AddGarden(ctx, d.boss, d.key("garden-plots"), AddGardenRequest{Operator: d.op.ID, Name: "共享菜园", Kind: "plots", Rows: 6, Cols: 10, SizeM2: 15})
	if err != nil {
		return err
	}
	e, err := d.s.AddGarden(ctx, d.boss, d.key("garden-expo"), AddGardenRequest{Operator: d.op.ID, Name: "南瓜博览园", Kind: "seedlings", Rows: 5, Cols: 10})
	if err != nil {
		return err
	}
	if d.plots, err = d.s.Plots(ctx, d.op.ID, g.ID, ""); err != nil {
		return err
	}
	if d.expo, err = d.s.Plots(ctx, d.op.ID, e.ID, ""); err != nil {
		return err
	}
	for i := range d.expo {
		p, err := d.s.SetPlot(ctx, d.boss, d.key("seedling-%d", i), SetPlotRequest{Operator: d.op.ID, Plot: d.expo[i].ID,
			Variety: demoVarieties[i], Giant: i < 10})
		if err != nil {
			return err
		}
		d.expo[i] = p
	}
	return nil
}

func (d *demo) addCrops(ctx context.Context) error {
	d.crops = map[string]Crop{}
	for i, c := range demoCrops {
		got, err := d.s.SetCrop(ctx, d.boss, d.key("crop-%d", i), SetCropRequest{Operator: d.op.ID, Crop: c})
		if err != nil {
			return err
		}
		d.crops[c.Name] = got
	}
	return nil
}

func (d *demo) addSeason(ctx context.Context) (err error) {
	start := addDays(d.today, -90)
	d.season, err = d.s.AddSeason(ctx, d.boss, d.key("season"), AddSeasonRequest{Operator: d.op.ID,
		Name: start[:4] + " 春夏认养季", StartsOn: start, EndsOn: addDays(d.today, 150)})
	return err
}

func (d *demo) families(ctx context.Context, familyID string) error {
	d.family = familyID
	if err := d.s.DB.WithTx(ctx, func(tx *db.Tx) error { return d.s.AddAdopterTx(ctx, tx, familyID, "王女士", DemoPhone) }); err != nil {
		return err
	}
	for i, f := range demoFamilies {
		p, err := d.s.Register(ctx, d.key("family-%d", i), RegisterRequest{Phone: fmt.Sprintf("1390000100%d", i), Name: f.name,
			Password: fmt.Sprintf("demo-garden-family-%d", i)})
		if err != nil {
			return err
		}
		d.others = append(d.others, p.UserID)
	}
	return nil
}

type demoAdoption struct {
	adopter           string
	plot              Plot
	mode              ModeCode
	crop, plate, nick string
	plantedAgo        int // days; -1 leaves it waiting for confirmation
}

func (d *demo) adopt(ctx context.Context, i int, x demoAdoption) (Adoption, error) {
	a, err := d.s.Adopt(ctx, civic.System, d.key("adopt-%d", i), AdoptRequest{Operator: d.op.ID, Adopter: x.adopter, Season: d.season.ID,
		Plot: x.plot.ID, Mode: x.mode, Crop: d.crops[x.crop].ID, FamilyName: x.plate, ChildNickname: x.nick, NicknameConsent: x.nick != ""})
	if err != nil || x.plantedAgo < 0 {
		return a, err
	}
	return d.s.Confirm(ctx, d.boss, d.key("confirm-%d", i), ConfirmRequest{Operator: d.op.ID, Adoption: a.ID, PlantedOn: addDays(d.today, -x.plantedAgo)})
}

func (d *demo) adoptions(ctx context.Context) error {
	mine := []demoAdoption{
		{d.family, d.plots[0], SelfManaged, "青菜", "王家小菜园", "", 10},
		{d.family, d.expo[0], HalfHosted, "南瓜", "向日葵之家", "豆豆", 30},
		{d.family, d.plots[1], FullyHosted, "番茄", "向日葵之家", "", 72}, // ripe in three days: its reminder is due
	}
	modes := []ModeCode{SelfManaged, HalfHosted, FullyHosted}
	crops := []string{"番茄", "黄瓜", "玉米", "青菜", "南瓜"}
	var others []demoAdoption
	for i := 0; i < 24; i++ {
		f := i % len(d.others)
		x := demoAdoption{adopter: d.others[f], mode: modes[i%3], crop: crops[i%len(crops)], plate: demoFamilies[f].plate}
		if i%2 == 0 {
			x.plot = d.plots[10+i]
		} else {
			x.plot, x.crop = d.expo[1+i], "南瓜"
		}
		x.plantedAgo = 10 + (i*7)%(d.crops[x.crop].MaturityDays-12) // growing, some nearly ripe
		if i >= 22 {
			x.plantedAgo = -1 // two families have not paid yet
		}
		others = append(others, x)
	}
	for i, x := range append(mine, others...) {
		a, err := d.adopt(ctx, i, x)
		if err != nil {
			return err
		}
		if i < len(mine) {
			d.familyAdopted = append(d.familyAdopted, a)
		}
	}
	return nil
}
