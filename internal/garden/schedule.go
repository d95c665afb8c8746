package garden

import (
	"time"
)

// TaskKind is a kind of work on a plot.
type TaskKind string

const (
	TaskWater   TaskKind = "water"
	TaskWeed    TaskKind = "weed"
	TaskFeed    TaskKind = "feed"
	TaskPest    TaskKind = "pest"
	TaskHarvest TaskKind = "harvest"
)

// TaskKinds lists the kinds in display order.
var TaskKinds = []TaskKind{TaskWater, TaskWeed, TaskFeed, TaskPest, TaskHarvest}

// ReminderKind is what a reminder is about.
type ReminderKind string

const (
	RemindMaturity ReminderKind = "maturity" // "should be ready in about N days"
	RemindWindow   ReminderKind = "window"   // the harvest window closes on a date
	RemindTask     ReminderKind = "task"     // a task the family itself must do
	RemindEvent    ReminderKind = "event"    // an event the family signed up for
)

// Reminder times, in Asia/Shanghai: a family is told of ripeness MaturityLead
// days ahead and of the window's end WindowLead days ahead, in the morning,
// not at midnight.
const (
	MaturityLead = 5
	WindowLead   = 2
	remindHour   = 9 // 09:00 for ripeness and the window
	taskHour     = 8 // 08:00 on the day a family's own task is due
)

// PlannedTask is one task a schedule makes.
type PlannedTask struct {
	Kind     TaskKind
	DueOn    string
	Assignee Party
}

// PlannedReminder is one reminder a schedule makes.
type PlannedReminder struct {
	Kind    ReminderKind
	DueAt   time.Time
	ArgDate string // the ripe day, the window's last day or the task's day
	ArgDays int    // days to ripeness, for the maturity reminder
	Task    int    // index into the plan's tasks, for a task reminder; -1 otherwise
}

// Plan is a planted crop's season of work and reminders.
type Plan struct {
	RipeOn  string
	LastDay string // the last day of the harvest window
	Tasks   []PlannedTask
	Remind  []PlannedReminder
}

// Schedule plans a crop planted on a day (Shanghai) under a mode's terms:
// each care task every N days from planting until the crop is ripe, the
// harvest on the ripe day, each given to whoever the terms name; and the
// reminders the terms promise, none of them in the past at now. Watering is
// not reminded: a family caring for its own plot knows to water it.
func Schedule(c Crop, plantedOn string, t Terms, now time.Time) Plan {
	p := Plan{RipeOn: addDays(plantedOn, c.MaturityDays), LastDay: addDays(plantedOn, c.MaturityDays+c.WindowDays-1)}
	every := map[TaskKind]int{TaskWater: c.WaterEvery, TaskWeed: c.WeedEvery, TaskFeed: c.FeedEvery, TaskPest: c.PestEvery}
	for _, k := range TaskKinds[:4] {
		n := every[k]
		if n <= 0 {
			continue
		}
		for d := n; d < c.MaturityDays; d += n {
			p.Tasks = append(p.Tasks, PlannedTask{Kind: k, DueOn: addDays(plantedOn, d), Assignee: t.Assignee(k)})
		}
	}
	p.Tasks = append(p.Tasks, PlannedTask{Kind: TaskHarvest, DueOn: p.RipeOn, Assignee: t.Assignee(TaskHarvest)})
	ripeAt := at(p.RipeOn, remindHour)
	if t.MaturityReminder && now.Before(ripeAt) {
		due := at(addDays(p.RipeOn, -MaturityLead), remindHour)
		days := MaturityLead
		if due.Before(now) { // planted late in its lead: tell the family at once
			due, days = now, daysBetween(Today(now), p.RipeOn)
		}
		p.Remind = append(p.Remind, PlannedReminder{Kind: RemindMaturity, DueAt: due, ArgDate: p.RipeOn, ArgDays: days, Task: -1})
	}
	if t.PickReminder {
		due := at(addDays(p.LastDay, -WindowLead), remindHour)
		if due.Before(ripeAt) {
			due = ripeAt
		}
		if !due.Before(now) {
			p.Remind = append(p.Remind, PlannedReminder{Kind: RemindWindow, DueAt: due, ArgDate: p.LastDay, Task: -1})
		}
	}
	for i, pt := range p.Tasks {
		if pt.Assignee != Adopter || pt.Kind == TaskWater || !t.RemindsTasks() && pt.Kind != TaskHarvest {
			continue
		}
		if due := at(pt.DueOn, taskHour); !due.Before(now) {
			p.Remind = append(p.Remind, PlannedReminder{Kind: RemindTask, DueAt: due, ArgDate: pt.DueOn, Task: i})
		}
	}
	return p
}

// DaysToRipe counts days from today to the ripe day (0 once ripe or after).
func DaysToRipe(ripeOn string, now time.Time) int {
	if ripeOn == "" {
		return 0
	}
	return max(0, daysBetween(Today(now), ripeOn))
}
