package layout

import "testing"

// TestExchangeRemoteReply reads the line that quotes the remote server's
// reply in each language of exchangeRemoteLeads, as Microsoft's
// translations write it, and again with every pair of quote marks and
// with a half-width, full-width or no colon before the quote.
func TestExchangeRemoteReply(t *testing.T) {
	const reply = "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"
	documented := []struct{ name, line string }{
		{"en", "Remote Server returned '" + reply + "'"},
		{"ja, as pasted", "リモート サーバーから '" + reply + "' が返されました"},
		{"ja", "リモート サーバーが '" + reply + "' を返しました。"},
		{"zh-CN", "远程服务器返回了“" + reply + "”"},
		{"fr", "Le serveur distant a renvoyé '" + reply + "'"},
		{"de", "Remoteserver hat „" + reply + "“ zurückgegeben."},
		{"es", "El servidor remoto devolvió \"" + reply + "\""},
		{"it", "Il server remoto ha restituito l'errore \"" + reply + "\""},
		{"it, typographic apostrophe", "Il server remoto ha restituito l’errore \"" + reply + "\""},
		{"pt-BR", "O Servidor Remoto retornou \"" + reply + "\""},
		{"ru", "Удаленный сервер возвратил ошибку \"" + reply + "\""},
		{"en, upper case", "REMOTE SERVER RETURNED '" + reply + "'"},
		{"de, two words", "Remote Server hat „" + reply + "“ zurückgegeben."},
		{"ja, no space", "リモートサーバーが'" + reply + "'を返しました。"},
		{"fr, guillemets", "Le serveur distant a renvoyé\u00a0: «\u00a0" + reply + "\u00a0»"},
		{"quote inside the reply", "Remote Server returned '550 5.1.1 user's mailbox doesn't exist'"},
	}
	for _, c := range documented {
		want := reply
		if c.name == "quote inside the reply" {
			want = "550 5.1.1 user's mailbox doesn't exist"
		}
		if got := exchangeRemoteReply(c.line); got != want {
			t.Errorf("%s: exchangeRemoteReply(%q) = %q, want %q", c.name, c.line, got, want)
		}
	}

	leads := map[string]string{
		"en":      "Remote Server returned",
		"ja":      "リモート サーバーが",
		"ja-user": "リモート サーバーから",
		"zh-CN":   "远程服务器返回了",
		"fr":      "Le serveur distant a renvoyé",
		"de":      "Remoteserver hat",
		"es":      "El servidor remoto devolvió",
		"it":      "Il server remoto ha restituito l'errore",
		"pt-BR":   "O Servidor Remoto retornou",
		"ru":      "Удаленный сервер возвратил ошибку",
	}
	tails := map[string]string{"ja": " を返しました。", "ja-user": " が返されました", "de": " zurückgegeben."}
	quotes := [][2]string{{"'", "'"}, {"\"", "\""}, {"“", "”"}, {"„", "“"}, {"«", "»"}, {"「", "」"}}
	seps := []string{" ", "", ": ", ":", " : ", "：", " ：", "\u3000", "\u00a0:\u00a0"}
	for loc, lead := range leads {
		for _, q := range quotes {
			for _, sep := range seps {
				line := lead + sep + q[0] + reply + q[1] + tails[loc]
				if got := exchangeRemoteReply(line); got != reply {
					t.Errorf("%s: exchangeRemoteReply(%q) = %q, want %q", loc, line, got, reply)
				}
			}
		}
	}

	for _, line := range []string{
		"", "Remote Server returned", "Remote Server returned '", "Remote Server returned ''",
		"Remote Server returned 550 5.1.1 not found", "Remote Server returned '550 no”",
		"Remote Server returned „550 no„", "Remote Server said '550 no'", "The remote server returned '550 no'",
		"Remote \u017eerver returned '550 no'", "\u212aemote Server returned '550 no'",
		"リモート サーバー '550 no'", "Le serveur a renvoyé '550 no'", "Server at mx.example.com returned '550 no'",
		"Удаленный сервер вернул \"550 no\"", "Remote Server returned :: '550 no'",
	} {
		if got := exchangeRemoteReply(line); got != "" {
			t.Errorf("exchangeRemoteReply(%q) = %q, want none", line, got)
		}
	}
}
