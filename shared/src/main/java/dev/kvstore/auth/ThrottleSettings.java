package dev.kvstore.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many failed logins and registrations a client gets before 429 (0 turns a limit
 * off).
 *
 * @param loginFailuresPerUser failed logins for one username within {@code loginWindow}
 * (LOGIN_MAX_FAILURES_PER_USER)
 * @param loginFailuresPerAddress failed logins from one client address within
 * {@code loginWindow} (LOGIN_MAX_FAILURES_PER_ADDRESS)
 * @param loginWindow how long failures are remembered (LOGIN_FAILURE_WINDOW)
 * @param registrationsPerAddress registrations from one client address within
 * {@code registrationWindow} (REGISTRATIONS_PER_ADDRESS)
 * @param registrationWindow (REGISTRATION_WINDOW)
 * @param loginFailuresPerUserFromNewAddresses failed logins for one username over all
 * addresses within {@code loginWindow}, after which only addresses it logged in from
 * before may try (LOGIN_MAX_FAILURES_PER_USER_TOTAL)
 */
@ConfigurationProperties("kvstore.throttle")
public record ThrottleSettings(int loginFailuresPerUser, int loginFailuresPerAddress, Duration loginWindow,
		int registrationsPerAddress, Duration registrationWindow,
		@DefaultValue("100") int loginFailuresPerUserFromNewAddresses) {

	public static final ThrottleSettings DEFAULTS = new ThrottleSettings(5, 50, Duration.ofMinutes(15), 20,
			Duration.ofHours(1));

	@ConstructorBinding
	public ThrottleSettings {
		if (loginFailuresPerUser < 0 || loginFailuresPerAddress < 0 || registrationsPerAddress < 0
				|| loginFailuresPerUserFromNewAddresses < 0) {
			throw new IllegalArgumentException("login and registration limits must be 0 (no limit) or positive");
		}
		if (loginWindow == null || !loginWindow.isPositive() || registrationWindow == null
				|| !registrationWindow.isPositive()) {
			throw new IllegalArgumentException("LOGIN_FAILURE_WINDOW and REGISTRATION_WINDOW must be positive");
		}
	}

	/** These limits with the default ceiling over all addresses. */
	public ThrottleSettings(int loginFailuresPerUser, int loginFailuresPerAddress, Duration loginWindow,
			int registrationsPerAddress, Duration registrationWindow) {
		this(loginFailuresPerUser, loginFailuresPerAddress, loginWindow, registrationsPerAddress, registrationWindow,
				100);
	}

}
