package io.pgsnapman.service.catalog.notify;

import io.pgsnapman.service.catalog.settings.NotificationProperties;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/** E-mail through the configured SMTP server: a plain-text mail to every address of the destination. */
public final class MailSender implements Sender {

    private final NotificationProperties.Smtp smtp;
    private final Duration timeout;

    public MailSender(NotificationProperties.Smtp smtp, Duration timeout) {
        this.smtp = smtp;
        this.timeout = timeout;
    }

    @Override
    public void send(NotificationProperties.Destination destination, Notification notification) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", smtp.host());
        props.put("mail.smtp.port", Integer.toString(smtp.port()));
        props.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
        props.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
        props.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
        if (smtp.startTls()) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        boolean login = smtp.username() != null && !smtp.username().isBlank();
        props.put("mail.smtp.auth", Boolean.toString(login));
        Session session = Session.getInstance(props);
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(smtp.from()));
        for (String to : destination.to()) {
            mail.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        mail.setSubject("[PgSnapMan] " + notification.title(), StandardCharsets.UTF_8.name());
        mail.setSentDate(new Date());
        mail.setText(body(notification), StandardCharsets.UTF_8.name());
        if (login) {
            String password = smtp.passwordFile() == null ? "" : Files.readString(smtp.passwordFile()).strip();
            Transport.send(mail, smtp.username(), password);
        } else {
            Transport.send(mail);
        }
    }

    static String body(Notification n) {
        StringBuilder text = new StringBuilder(n.text()).append("\n\n");
        if (n.serverId() != null) {
            text.append("Server: ").append(n.serverName() != null ? n.serverName() + " (" + n.serverId() + ")" : n.serverId()).append('\n');
        }
        if (n.dumpJobId() != null) {
            text.append("Dump job: ").append(n.jobName() != null ? n.jobName() + " (" + n.dumpJobId() + ")" : n.dumpJobId()).append('\n');
        }
        if (n.subjectId() != null) {
            text.append("Subject: ").append(n.subjectId()).append('\n');
        }
        if (n.occurredAt() != null) {
            text.append("When: ").append(n.occurredAt()).append('\n');
        }
        return text.toString();
    }
}
