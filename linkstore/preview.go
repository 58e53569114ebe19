package linkstore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"linkbase/ogimage"
)

// Preview is a profile's link preview (GET /{username}/og.png): the PNG
// and its ETag, a hash of the bytes (the same card always draws the same
// bytes).
type Preview struct {
	OwnerID string
	PNG     []byte
	ETag    string
}

// Preview returns username's link preview, from the cache or drawn from
// the profile: ErrNotFound as Profile does. A preview is dropped with its
// profile's user (InvalidateUser), since it shows only the user's fields.
func (s *Store) Preview(username string) (*Preview, error) {
	key, ok := profileKey(username)
	if !ok {
		return nil, ErrNotFound
	}
	// The profile is read inside the load, so that a write invalidating
	// both while this runs keeps the preview drawn from before it out of
	// the cache.
	return s.previews.Get(key, func() (*Preview, error) {
		p, err := s.Profile(key)
		if err != nil {
			return nil, err
		}
		avatar, err := s.readAvatar(p.avatar)
		if err != nil {
			s.app.Logger().Warn("reading an avatar for its link preview", "user", p.OwnerID, "error", err)
		}
		png, err := ogimage.Render(ogimage.Card{
			Name: p.Data.DisplayName, Username: p.Data.Username, Bio: p.Data.Bio,
			Avatar: avatar, Theme: p.Data.Theme,
		})
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(png)
		return &Preview{OwnerID: p.OwnerID, PNG: png, ETag: hex.EncodeToString(sum[:12])}, nil
	})
}

// errAvatarTooLarge: the file is bigger than ogimage decodes; the preview
// shows the initial instead.
var errAvatarTooLarge = errors.New("avatar file over ogimage.MaxAvatarBytes")

// readAvatar reads an avatar file (nil for none), at most
// ogimage.MaxAvatarBytes of it.
func (s *Store) readAvatar(f avatarFile) ([]byte, error) {
	if f.Name == "" {
		return nil, nil
	}
	fsys, err := s.app.NewFilesystem()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	r, err := fsys.GetReader(f.Collection + "/" + f.Record + "/" + f.Name)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", f.Name, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, ogimage.MaxAvatarBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > ogimage.MaxAvatarBytes {
		return nil, errAvatarTooLarge
	}
	return data, nil
}
