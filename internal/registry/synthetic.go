package registry

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Synthetic names only: the demo never uses real residents' names.
var (
	surnames  = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given     = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力燕飞鹏宇浩凯雪琳晨欣怡佳嘉子轩梓涵一诺雨萱浩然俊杰春江波海峰")
	relations = []string{"配偶", "子女", "子女", "父母", "孙子女", "兄弟姐妹", "其他"}
)

// SyntheticName makes a plausible two- or three-character name.
func SyntheticName(r *rand.Rand) string {
	n := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
	if r.IntN(10) < 7 {
		n += string(given[r.IntN(len(given))])
	}
	return n
}

// SyntheticID makes a valid ID number (GB 11643 checksum) for a birth date;
// seq keeps numbers unique (up to 5 million).
func SyntheticID(birth time.Time, seq int, male bool) string {
	// (seq/500, seq%500) is unique per seq; the last digit of the sequence
	// carries the gender as the standard says (odd: male).
	s := seq % 500 * 2
	if male {
		s++
	}
	body := fmt.Sprintf("33%04d%s%03d", seq/500%10000, birth.Format("20060102"), s)
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return body + string(idCheckChars[sum%11])
}

// SyntheticRows makes residents for households spread over estates, with a
// realistic mix: about 18% rental, 2% disability households, ages from
// newborn to 95 (about 15% minors and 25% over 60), most with an ID number
// and a mobile phone. The same seed gives the same rows.
func SyntheticRows(seed uint64, estates []string, households, residents int, today time.Time) []ImportRow {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rows := make([]ImportRow, 0, residents)
	type home struct{ estate, b, u, room, tenure, dis string }
	homes := make([]home, households)
	for i := range homes {
		h := home{estate: estates[i%len(estates)], tenure: "自有", dis: "否"}
		per := i / len(estates)
		h.b = fmt.Sprint(per/48 + 1)
		h.u = fmt.Sprint(per/16%3 + 1)
		h.room = fmt.Sprintf("%d%02d", per%16/2+1, per%2+1)
		if r.IntN(100) < 18 {
			h.tenure = "出租"
		}
		if r.IntN(100) < 2 {
			h.dis = "是"
		}
		homes[i] = h
	}
	seq := 0
	for i := 0; i < residents; i++ {
		h := homes[i%households]
		if i < households {
			h = homes[i]
		}
		var age int
		switch x := r.IntN(100); {
		case x < 15:
			age = r.IntN(18)
		case x < 75:
			age = 18 + r.IntN(42)
		default:
			age = 60 + r.IntN(36)
		}
		birth := today.AddDate(-age, 0, -r.IntN(365)-1)
		male := r.IntN(2) == 0
		row := ImportRow{Line: i + 2, Estate: h.estate, Building: h.b, Unit: h.u, Room: h.room, Tenure: h.tenure, Disability: h.dis,
			Name: SyntheticName(r), BirthDate: birth.Format(dateLayout), Relation: "户主",
			MovedIn: today.AddDate(-r.IntN(20), 0, -r.IntN(365)).Format(dateLayout)}
		if i >= households {
			row.Relation = relations[r.IntN(len(relations))]
		}
		row.Gender = "女"
		if male {
			row.Gender = "男"
		}
		if r.IntN(100) < 92 {
			seq++
			row.IDNumber = SyntheticID(birth, seq, male)
		}
		if age >= 16 && r.IntN(100) < 85 {
			row.Phone = fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))
		}
		rows = append(rows, row)
	}
	return rows
}
