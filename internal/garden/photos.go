package garden

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	_ "image/png" // decoders for image.Decode
	"sync"

	_ "golang.org/x/image/webp"

	"golang.org/x/image/draw"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Photos of plots and of a steward's work come from phones: several
// megabytes and 4000 px wide. The server keeps each at most PhotoSide px on
// its longer side as a JPEG, a few hundred kilobytes, so a family's phone
// loads a work log quickly and the database stays small.
const (
	// MaxPhoto is the largest upload accepted (the page's Upload limit).
	MaxPhoto = 8 << 20
	// PhotoSide is the longer side of a kept photo, in pixels.
	PhotoSide = 1280
	// maxPixels refuses images that would take too much memory to decode
	// (a small file can claim a huge size).
	maxPixels = 50_000_000
)

// Photo is a resized photo ready to keep.
type Photo struct {
	Data          []byte
	ContentType   string
	Width, Height int
}

// decodeSlots bounds how many photos are decoded at once: each may take a
// few hundred megabytes for a moment.
var decodeSlots = make(chan struct{}, 2)

var errPhotoType = func() error {
	return civic.Errorf(civic.Invalid, "garden.photo_type", "the photo must be a JPEG, PNG or WebP image")
}

// PreparePhoto checks and resizes an upload; no upload gives a zero Photo.
func PreparePhoto(raw []byte) (Photo, error) {
	if len(raw) == 0 {
		return Photo{}, nil
	}
	if len(raw) > MaxPhoto {
		return Photo{}, civic.Errorf(civic.Invalid, "garden.photo_large", "the photo is larger than %d MB", MaxPhoto>>20)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return Photo{}, errPhotoType()
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > maxPixels {
		return Photo{}, civic.Errorf(civic.Invalid, "garden.photo_pixels", "the photo has too many pixels (%d×%d)", cfg.Width, cfg.Height)
	}
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	src, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return Photo{}, errPhotoType()
	}
	dst := resize(src, PhotoSide)
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := jpeg.Encode(buf, dst, &jpeg.Options{Quality: 82}); err != nil {
		return Photo{}, err
	}
	b := dst.Bounds()
	return Photo{Data: bytes.Clone(buf.Bytes()), ContentType: "image/jpeg", Width: b.Dx(), Height: b.Dy()}, nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// resize scales src so its longer side is at most side, keeping its shape;
// smaller images are only re-encoded.
func resize(src image.Image, side int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
		return dst
	}
	if w >= h {
		h, w = max(1, h*side/w), side
	} else {
		w, h = max(1, w*side/h), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return dst
}

func putPhoto(ctx context.Context, tx *db.Tx, operatorID string, ph Photo) (string, error) {
	id := civic.NewID()
	_, err := tx.Exec(ctx, `INSERT INTO garden_photos (operator_id, id, content_type, data, width, height, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, operatorID, id, ph.ContentType, ph.Data, ph.Width, ph.Height, db.Millis(tx.Now()))
	return id, err
}

// photoData reads a kept photo; who may see it is decided by the caller
// (PhotoFor).
func (s *Service) photoData(ctx context.Context, operatorID, id string) (data []byte, ctype string, err error) {
	err = s.DB.QueryRow(ctx, "SELECT data, content_type FROM garden_photos WHERE operator_id = $1 AND id = $2", operatorID, id).Scan(&data, &ctype)
	if noRows(err) {
		err = civic.Errorf(civic.NotFound, "garden.no_photo", "no such photo")
	}
	return data, ctype, err
}
