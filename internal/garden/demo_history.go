package garden

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// demoNotes are a steward's notes, by task kind.
var demoNotes = map[TaskKind]string{
	TaskWater: "浇透了，土壤湿润", TaskWeed: "拔了一遍杂草", TaskFeed: "施了有机肥", TaskPest: "检查了叶片，喷了生物防虫剂", TaskHarvest: "已采摘",
}

// history gives the season its past: the steward's tasks due before today
// done on their day (a few with a photo), the families' own older tasks
// done, a failed crop, some pickings.
func (d *demo) history(ctx context.Context) error {
	photo, err := PreparePhoto(demoPhoto())
	if err != nil {
		return err
	}
	err = d.s.DB.WithTx(ctx, func(tx *db.Tx) error {
		type due struct {
			id, kind, day, season, adoption, assignee string
		}
		rows, err := tx.Query(ctx, `SELECT t.id, t.kind, t.due_on, a.season_id, a.id, t.assignee FROM garden_tasks t
			JOIN garden_adoptions a ON a.operator_id = t.operator_id AND a.id = t.adoption_id
			WHERE t.operator_id = $1 AND t.status = 'pending' AND t.due_on < $2 ORDER BY t.due_on, t.id`, d.op.ID, addDays(d.today, -2))
		list, err := db.Collect(rows, err, func(r db.Scanner) (x due, err error) {
			err = r.Scan(&x.id, &x.kind, &x.day, &x.season, &x.adoption, &x.assignee)
			return x, err
		})
		if err != nil {
			return err
		}
		photoID, err := putPhoto(ctx, tx, d.op.ID, photo)
		if err != nil {
			return err
		}
		for i, x := range list {
			who, name, pid := "demo-steward", "管家老周", ""
			if x.assignee == string(Adopter) {
				who, name = "demo-family", "园主"
			} else if x.adoption == d.familyAdopted[1].ID && i%3 == 0 {
				pid = photoID // the demo family sees photos of the steward's work
			}
			if _, err := tx.Exec(ctx, `UPDATE garden_tasks SET status = 'done', done_at = $3, done_by = $4, done_by_name = $5, note = $6, photo_id = $7
				WHERE operator_id = $1 AND id = $2`, d.op.ID, x.id, db.Millis(at(x.day, 17)), who, name, demoNotes[TaskKind(x.kind)], pid); err != nil {
				return err
			}
			if err := bump(ctx, tx, d.op.ID, x.season, statTasksDone, x.kind, 1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	list, err := d.s.Adoptions(ctx, d.boss, Active, time.Time{}, "", 100)
	if err != nil {
		return err
	}
	failed, picked := false, 0
	for _, a := range list {
		switch {
		case a.Adopter == d.family:
		case !failed && a.Adoption.Mode == FullyHosted:
			failed = true
			if _, err := d.s.Fail(ctx, d.boss, d.key("fail-%s", a.ID), FailRequest{Operator: d.op.ID, Adoption: a.ID, Reason: "暴雨后根部腐烂"}); err != nil {
				return err
			}
		case picked < 4 && a.DaysToRipe < 20:
			picked++
			if _, err := d.s.RecordHarvest(ctx, d.boss, d.key("harvest-%s", a.ID), HarvestRequest{Operator: d.op.ID, Adoption: a.ID,
				WeightG: int64(1500 + 700*picked), PickedBy: Adopter, Note: "第一批", Final: picked == 4}); err != nil {
				return err
			}
		}
	}
	return nil
}

// events publishes the coming weeks' events; the demo family signs up for one.
func (d *demo) events(ctx context.Context) error {
	base, _ := ParseDay(d.today)
	for i, e := range []struct {
		kind, title, place string
		in, hour, people   int
	}{
		{"diy", "南瓜灯 DIY", "大棚手作区", 3, 14, 30},
		{"study", "甘蔗地里的南瓜：亲子研学", "南瓜博览园", 7, 9, 40},
		{"picking", "番茄采摘日", "共享菜园", 12, 9, 60},
	} {
		start := base.AddDate(0, 0, e.in).Add(time.Duration(e.hour) * time.Hour)
		ev, err := d.s.AddEvent(ctx, d.boss, d.key("event-%d", i), EventRequest{Operator: d.op.ID, Kind: e.kind, Title: e.title, Place: e.place,
			Start: start, End: start.Add(2 * time.Hour), Capacity: e.people})
		if err != nil {
			return err
		}
		if i == 0 {
			if _, err := d.s.SignUp(ctx, civic.System, d.key("signup-%d", i), SignUpRequest{Operator: d.op.ID, Event: ev.ID, Adopter: d.family, People: 3}); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoPhoto draws a small picture of a green field under a sky, standing in
// for a steward's phone photo.
func demoPhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			c := color.RGBA{135, 190, 235, 255}
			if y > 200 {
				c = color.RGBA{uint8(60 + (x*y)%40), uint8(130 + y%60), 50, 255}
			}
			if (x-420)*(x-420)+(y-330)*(y-330) < 60*60 {
				c = color.RGBA{230, 130, 30, 255} // a pumpkin
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}
