// SPDX-License-Identifier: MIT
/*
 * The core's command line. Sources, first found wins:
 * 1. the boot entry's LoadOptions (UEFI 2.10 §3.1.3), when they are text: a Boot####
 *    variable made by efibootmgr, or the UEFI shell (which passes argv[0] too);
 *    firmware-made entries carry binary data there (EDK2: a GUID) and are skipped;
 * 2. the file hv.cmdline in the directory hv.efi was loaded from, same volume;
 * 3. "".
 * The loader reads its own options from the same line: pool=NNM, poweroff.
 */
#include "boot/efi/loader.h"

#define CMDLINE_FILE   L"hv.cmdline"
#define PATH_MAX_CHARS 256

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Printable ASCII or whitespace: the only bytes a command line may have. */
static bool is_text(unsigned int c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r' || c == '\n';
}

/* @buf with whitespace runs at the ends removed and inner CR/LF/TAB as spaces. */
static void tidy(char *buf)
{
	size_t len = 0, start = 0;

	while (buf[start] && is_space(buf[start]))
		start++;
	for (size_t i = start; buf[i]; i++)
		buf[len++] = is_space(buf[i]) ? ' ' : buf[i];
	while (len > 0 && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
}

static bool ends_with_efi(const char *word, size_t len)
{
	return len >= 4 && word[len - 4] == '.' && (word[len - 3] | 0x20) == 'e' &&
	       (word[len - 2] | 0x20) == 'f' && (word[len - 1] | 0x20) == 'i';
}

/*
 * LoadOptions as text into @buf. Returns EFI_SUCCESS with buf[0] == 0 when there are
 * none or they are not text; EFI_BUFFER_TOO_SMALL when they do not fit.
 */
static EFI_STATUS from_load_options(EFI_LOADED_IMAGE *li, char *buf, size_t size)
{
	const CHAR16 *opt = li->LoadOptions;
	UINTN n = li->LoadOptionsSize / sizeof(CHAR16);
	size_t len = 0, skip = 0;

	buf[0] = '\0';
	if (!opt || n == 0)
		return EFI_SUCCESS;
	for (UINTN i = 0; i < n && opt[i]; i++) {
		if (!is_text(opt[i])) {
			buf[0] = '\0';
			return EFI_SUCCESS; /* binary OptionalData: not a command line */
		}
		if (len + 1 >= size) {
			Print(L"efi: cmdline: LoadOptions longer than %d bytes\n", (int)size - 1);
			return EFI_BUFFER_TOO_SMALL;
		}
		buf[len++] = (char)opt[i];
	}
	buf[len] = '\0';
	tidy(buf);

	/* The shell's argv[0]: "hv.efi" or "fs0:\EFI\BOOT\BOOTX64.EFI". */
	while (buf[skip] && buf[skip] != ' ')
		skip++;
	if (ends_with_efi(buf, skip)) {
		size_t i = 0;

		while (buf[skip] == ' ')
			skip++;
		while (buf[skip])
			buf[i++] = buf[skip++];
		buf[i] = '\0';
	}
	return EFI_SUCCESS;
}

/* "\EFI\BOOT\hv.cmdline" from hv.efi's file path nodes ("\EFI\BOOT\BOOTX64.EFI"). */
static bool cmdline_path(EFI_LOADED_IMAGE *li, CHAR16 *path, UINTN chars)
{
	EFI_DEVICE_PATH *dp = li->FilePath;
	UINTN len = 0, dir_end = 0;
	const CHAR16 *name = CMDLINE_FILE;

	for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
		FILEPATH_DEVICE_PATH *fp = (FILEPATH_DEVICE_PATH *)dp;
		UINTN node_chars;

		if ((UINTN)DevicePathNodeLength(dp) < sizeof(EFI_DEVICE_PATH))
			return false;
		if (DevicePathType(dp) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(dp) != MEDIA_FILEPATH_DP)
			continue;
		node_chars = ((UINTN)DevicePathNodeLength(dp) - sizeof(EFI_DEVICE_PATH)) /
			     sizeof(CHAR16);
		/* Nodes concatenate; a separator between them when neither has one. */
		if (len > 0 && path[len - 1] != L'\\' && node_chars > 0 &&
		    fp->PathName[0] != L'\\') {
			if (len + 1 >= chars)
				return false;
			path[len++] = L'\\';
		}
		for (UINTN i = 0; i < node_chars && fp->PathName[i]; i++) {
			if (len + 1 >= chars)
				return false;
			path[len++] = fp->PathName[i];
		}
	}
	for (UINTN i = 0; i < len; i++)
		if (path[i] == L'\\')
			dir_end = i + 1;
	len = dir_end;
	if (len == 0)
		path[len++] = L'\\';
	for (; *name; name++) {
		if (len + 1 >= chars)
			return false;
		path[len++] = *name;
	}
	path[len] = 0;
	return true;
}

/* hv.cmdline into @buf: EFI_SUCCESS with buf[0] == 0 when absent or unreadable. */
static EFI_STATUS from_file(EFI_LOADED_IMAGE *li, char *buf, size_t size)
{
	EFI_GUID sfs_guid = SIMPLE_FILE_SYSTEM_PROTOCOL;
	EFI_FILE_IO_INTERFACE *sfs = NULL;
	EFI_FILE_HANDLE root = NULL, file = NULL;
	CHAR16 path[PATH_MAX_CHARS];
	UINTN len = size;
	EFI_STATUS st;

	buf[0] = '\0';
	if (!cmdline_path(li, path, PATH_MAX_CHARS))
		return EFI_SUCCESS;
	st = BS->HandleProtocol(li->DeviceHandle, &sfs_guid, (void **)&sfs);
	if (EFI_ERROR(st))
		return EFI_SUCCESS; /* not loaded from a file system */
	st = sfs->OpenVolume(sfs, &root);
	if (EFI_ERROR(st))
		return EFI_SUCCESS;
	st = root->Open(root, &file, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st)) {
		root->Close(root);
		return EFI_SUCCESS;
	}
	/* One byte more than fits, to tell a full buffer from a too long file. */
	st = file->Read(file, &len, buf);
	file->Close(file);
	root->Close(root);
	if (EFI_ERROR(st)) {
		Print(L"efi: cmdline: reading %s: %r, ignored\n", path, st);
		buf[0] = '\0';
		return EFI_SUCCESS;
	}
	if (len >= size) {
		Print(L"efi: cmdline: %s longer than %d bytes\n", path, (int)size - 1);
		buf[0] = '\0';
		return EFI_BUFFER_TOO_SMALL;
	}
	buf[len] = '\0';
	for (UINTN i = 0; i < len; i++) {
		if (!is_text((unsigned char)buf[i])) {
			Print(L"efi: cmdline: %s has a non-text byte at %lu, ignored\n", path, i);
			buf[0] = '\0';
			return EFI_SUCCESS;
		}
	}
	tidy(buf);
	return EFI_SUCCESS;
}

EFI_STATUS cmdline_get(EFI_HANDLE image, char *buf, size_t size, const CHAR16 **from)
{
	EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS st;

	buf[0] = '\0';
	*from = L"none";
	st = BS->HandleProtocol(image, &li_guid, (void **)&li);
	if (EFI_ERROR(st)) {
		Print(L"efi: cmdline: no loaded-image protocol: %r\n", st);
		return EFI_SUCCESS;
	}
	st = from_load_options(li, buf, size);
	if (EFI_ERROR(st) || buf[0]) {
		*from = L"LoadOptions";
		return st;
	}
	st = from_file(li, buf, size);
	if (!EFI_ERROR(st) && buf[0])
		*from = CMDLINE_FILE;
	return st;
}

/* The word starting at @p, its length in @len. */
static bool word_is(const char *p, size_t len, const char *word)
{
	size_t i = 0;

	for (; i < len && word[i]; i++)
		if (p[i] != word[i])
			return false;
	return i == len && word[i] == '\0';
}

bool cmdline_has_word(const char *cmdline, const char *word)
{
	const char *p = cmdline;

	while (*p) {
		size_t len = 0;

		while (*p == ' ')
			p++;
		while (p[len] && p[len] != ' ')
			len++;
		if (len && word_is(p, len, word))
			return true;
		p += len;
	}
	return false;
}

/* "NN[KMG]" -> bytes. Returns false when malformed or too big for 64 bits. */
static bool parse_size(const char *p, size_t len, uint64_t *bytes)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned int shift;

	for (; i < len && p[i] >= '0' && p[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (i == 0 || i + 1 != len)
		return false;
	switch (p[i] | 0x20) {
	case 'k':
		shift = 10;
		break;
	case 'm':
		shift = 20;
		break;
	case 'g':
		shift = 30;
		break;
	default:
		return false;
	}
	if (v > (UINT64_MAX >> shift))
		return false;
	*bytes = v << shift;
	return true;
}

EFI_STATUS cmdline_parse(const char *cmdline, struct loader_opts *opts)
{
	const char *p = cmdline;

	opts->pool_bytes = LOADER_POOL_DEFAULT;
	opts->poweroff = cmdline_has_word(cmdline, "poweroff");
	while (*p) {
		size_t len = 0;

		while (*p == ' ')
			p++;
		while (p[len] && p[len] != ' ')
			len++;
		if (len > 5 && word_is(p, 5, "pool=")) {
			uint64_t bytes;

			if (!parse_size(p + 5, len - 5, &bytes) || bytes < LOADER_POOL_MIN ||
			    bytes > LOADER_POOL_MAX || (bytes & (EFI_PAGE_BYTES - 1))) {
				Print(L"efi: cmdline: pool= wants NNM or NNG, %lu MiB to %lu GiB\n",
				      LOADER_POOL_MIN >> 20, LOADER_POOL_MAX >> 30);
				return EFI_INVALID_PARAMETER;
			}
			opts->pool_bytes = bytes;
		}
		p += len;
	}
	return EFI_SUCCESS;
}
