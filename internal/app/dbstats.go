package app

import "database/sql"

type sqlStats struct{ open, inUse, idle, maxOpen, waits, waitSeconds float64 }

func stats(s sql.DBStats) sqlStats {
	return sqlStats{
		open: float64(s.OpenConnections), inUse: float64(s.InUse), idle: float64(s.Idle),
		maxOpen: float64(s.MaxOpenConnections), waits: float64(s.WaitCount), waitSeconds: s.WaitDuration.Seconds(),
	}
}
