package garden

import "civicpoints/internal/civic"

// One message per field and per missing thing, each with a literal key, so
// the i18n tests check every one and each language names the field itself.

func missing(field string) error {
	switch field {
	case "place":
		return civic.Errorf(civic.Invalid, "garden.required.place", "a place is required")
	case "title":
		return civic.Errorf(civic.Invalid, "garden.required.title", "a title is required")
	case "reason":
		return civic.Errorf(civic.Invalid, "garden.required.reason", "a reason is required")
	case "plate":
		return civic.Errorf(civic.Invalid, "garden.required.plate", "a name for the plate is required")
	}
	return civic.Errorf(civic.Invalid, "garden.required.name", "a name is required")
}

func tooLong(field string, max int) error {
	switch field {
	case "place":
		return civic.Errorf(civic.Invalid, "garden.too_long.place", "the place is longer than %d characters", max)
	case "title":
		return civic.Errorf(civic.Invalid, "garden.too_long.title", "the title is longer than %d characters", max)
	case "reason":
		return civic.Errorf(civic.Invalid, "garden.too_long.reason", "the reason is longer than %d characters", max)
	case "plate":
		return civic.Errorf(civic.Invalid, "garden.too_long.plate", "the name for the plate is longer than %d characters", max)
	case "nickname":
		return civic.Errorf(civic.Invalid, "garden.too_long.nickname", "the nickname is longer than %d characters", max)
	case "note":
		return civic.Errorf(civic.Invalid, "garden.too_long.note", "the note is longer than %d characters", max)
	case "terms":
		return civic.Errorf(civic.Invalid, "garden.too_long.terms", "the terms are longer than %d characters", max)
	case "variety":
		return civic.Errorf(civic.Invalid, "garden.too_long.variety", "the variety is longer than %d characters", max)
	}
	return civic.Errorf(civic.Invalid, "garden.too_long.name", "the name is longer than %d characters", max)
}

// notFound names what is missing; the id is for the logs only.
func notFound(what, id string) error {
	var e *civic.Error
	switch what {
	case "operator":
		e = civic.Errorf(civic.NotFound, "garden.no.operator", "no such garden operator")
	case "garden":
		e = civic.Errorf(civic.NotFound, "garden.no.garden", "no such garden")
	case "plot":
		e = civic.Errorf(civic.NotFound, "garden.no.plot", "no such plot")
	case "crop":
		e = civic.Errorf(civic.NotFound, "garden.no.crop", "no such crop")
	case "season":
		e = civic.Errorf(civic.NotFound, "garden.no.season", "no such season")
	case "adopter":
		e = civic.Errorf(civic.NotFound, "garden.no.adopter", "no such adopter")
	case "task":
		e = civic.Errorf(civic.NotFound, "garden.no.task", "no such task")
	case "event":
		e = civic.Errorf(civic.NotFound, "garden.no.event", "no such event")
	case "reminder":
		e = civic.Errorf(civic.NotFound, "garden.no.reminder", "no such reminder")
	default:
		e = civic.Errorf(civic.NotFound, "garden.no.adoption", "no such adoption")
	}
	e.Message += " (" + id + ")"
	return e
}
